package dev.stepwise.server.auth;

import dev.stepwise.server.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;

/**
 * 401 and 403 answers of the security filters as problem details. The challenge names Bearer, not
 * Basic, so browsers never pop up a password dialog; scripts send Basic credentials up front.
 */
@Component
class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ProblemResponses problems;

    ProblemAuthenticationHandlers(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "Authentication required: log in, or send HTTP Basic credentials or a Bearer API key"
                : "The credentials are invalid";
        problems.write(request, response, HttpStatus.UNAUTHORIZED, detail,
                Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stepwise\""));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String detail = e instanceof CsrfException
                ? "Missing or invalid CSRF token: send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header"
                : "You may not perform this action";
        problems.write(request, response, HttpStatus.FORBIDDEN, detail, Map.of());
    }
}
