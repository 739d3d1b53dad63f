package dev.stepwise.server.auth;

import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Reads the principal of the current request. */
public final class CurrentPrincipal {

    private CurrentPrincipal() {}

    /** The caller; throws an authentication error (401) when the request is anonymous. */
    public static StepwisePrincipal get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof StepwisePrincipal principal) {
            return principal;
        }
        throw new InsufficientAuthenticationException("Authentication required");
    }

    /** The calling person; a 403 problem for API keys, which may not perform this action. */
    public static StepwiseUser user() {
        if (get() instanceof StepwiseUser user) {
            return user;
        }
        throw dev.stepwise.server.web.ProblemException.forbidden("This action needs a user account, not an API key");
    }
}
