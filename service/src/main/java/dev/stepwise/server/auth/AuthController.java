package dev.stepwise.server.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stepwise.server.audit.AuditLog;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "auth", description = "Login, logout and the current principal")
class AuthController {

    record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 200) String password) {}

    record UserResponse(String username, boolean admin) {}

    record CsrfResponse(String headerName, String parameterName, String token) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MeResponse(String username, Boolean admin, ApiKeyView apiKey) {}

    record ApiKeyView(String project, ApiKeyScope scope) {}

    private final AuthenticationManager authenticationManager;
    private final SecurityContextRepository contextRepository;
    private final CsrfAuthenticationStrategy csrfRotation;
    private final CookieCsrfTokenRepository csrfTokens;
    private final LoginThrottle throttle;
    private final AuditLog auditLog;

    AuthController(AuthenticationManager authenticationManager, SecurityContextRepository contextRepository,
            LoginThrottle throttle, AuditLog auditLog, CookieCsrfTokenRepository csrfTokens) {
        this.authenticationManager = authenticationManager;
        this.csrfTokens = csrfTokens;
        this.csrfRotation = new CsrfAuthenticationStrategy(csrfTokens);
        this.contextRepository = contextRepository;
        this.throttle = throttle;
        this.auditLog = auditLog;
    }

    @PostMapping("/auth/login")
    @Operation(summary = "Log in with username and password; starts a session (cookie STEPWISE_SESSION)",
            description = "Answers 401 for bad credentials and 429 with Retry-After after too many failures.")
    ResponseEntity<UserResponse> login(@Valid @RequestBody LoginRequest body, HttpServletRequest request,
            HttpServletResponse response) {
        throttle.check(body.username(), request.getRemoteAddr());
        Authentication authentication;
        try {
            authentication = authenticationManager.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(body.username(), body.password()));
        } catch (AuthenticationException e) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "Invalid username or password");
        }
        // A new session id on login defeats session fixation; this is the only place a session starts.
        if (request.getSession(false) != null) {
            request.changeSessionId();
        } else {
            request.getSession(true);
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contextRepository.saveContext(context, request, response);
        // A fresh CSRF token for the new session, so a token planted before login is worthless.
        csrfRotation.onAuthentication(authentication, request, response);
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken fresh) {
            fresh.getToken(); // loading the deferred token sets the new XSRF-TOKEN cookie on this response
        }
        StepwiseUser user = (StepwiseUser) authentication.getPrincipal();
        auditLog.record(AuditLog.LOGIN, user.getUsername(), null, user.getUsername(), Map.of());
        return ResponseEntity.ok(new UserResponse(user.getUsername(), user.admin()));
    }

    @PostMapping("/auth/logout")
    @Operation(summary = "End the session")
    ResponseEntity<Void> logout(HttpServletRequest request, HttpServletResponse response) {
        csrfTokens.saveToken(null, request, response);
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/auth/csrf")
    @Operation(summary = "The CSRF token for state-changing browser requests (also set as cookie XSRF-TOKEN)")
    CsrfResponse csrf(CsrfToken token) {
        return new CsrfResponse(token.getHeaderName(), token.getParameterName(), token.getToken());
    }

    @GetMapping("/me")
    @Operation(summary = "The current principal: a user, or an API key with its project and scope")
    MeResponse me() {
        StepwisePrincipal principal = CurrentPrincipal.get();
        if (principal instanceof ApiKeyPrincipal key) {
            return new MeResponse(null, null, new ApiKeyView(key.project(), key.scope()));
        }
        StepwiseUser user = (StepwiseUser) principal;
        return new MeResponse(user.getUsername(), user.admin(), null);
    }
}
