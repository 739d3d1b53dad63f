package dev.stepwise.server.auth;

import dev.stepwise.server.web.ProblemException;
import dev.stepwise.server.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/** Applies the failed-login throttle to HTTP Basic requests, which otherwise allow unlimited guessing. */
class BasicAuthThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;
    private final ProblemResponses problems;

    BasicAuthThrottleFilter(LoginThrottle throttle, ProblemResponses problems) {
        this.throttle = throttle;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String username = username(header.substring(6).trim());
            if (username != null) {
                try {
                    throttle.check(username, request.getRemoteAddr());
                } catch (ProblemException e) {
                    problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, e.getBody().getDetail(),
                            Map.of("Retry-After", e.getHeaders().getFirst("Retry-After")));
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    private static String username(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 ? decoded.substring(0, colon) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
