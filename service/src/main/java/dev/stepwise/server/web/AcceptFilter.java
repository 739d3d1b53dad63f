package dev.stepwise.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Content negotiation before any work: every API answer is JSON, so a request to {@code /api/}
 * whose {@code Accept} header admits no JSON is refused with 406 before a controller runs — an
 * upload, a run or an API key is never created for a client that would then be refused its answer.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class AcceptFilter extends OncePerRequestFilter {

    private static final List<MediaType> PRODUCED = List.of(MediaType.APPLICATION_JSON,
            MediaType.APPLICATION_PROBLEM_JSON);

    private final ProblemResponses problems;

    AcceptFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    /** Downloads answer with the bytes' own type (an image tag asks for image/*), not JSON. */
    private static final Pattern DOWNLOAD = Pattern.compile(
            "^/api/v1/projects/[^/]+/(blobs/[^/]+|runs/[^/]+/artifacts/[^/]+/file)$");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/")
                || ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && DOWNLOAD.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept != null && !accept.isBlank()) {
            List<MediaType> accepted;
            try {
                accepted = MediaType.parseMediaTypes(accept);
            } catch (InvalidMediaTypeException e) {
                problems.write(request, response, HttpStatus.BAD_REQUEST, "The Accept header is not a list of media types",
                        Map.of());
                return;
            }
            boolean json = accepted.stream().anyMatch(a -> PRODUCED.stream().anyMatch(a::isCompatibleWith));
            if (!json) {
                problems.write(request, response, HttpStatus.NOT_ACCEPTABLE,
                        "This API answers with application/json only; the Accept header excludes it", Map.of());
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
