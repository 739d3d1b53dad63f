package dev.stepwise.server.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors raised outside the controllers (the servlet container, the security firewall,
 * filters) as RFC 9457 problems, like every other error of the API. A server fault says no more
 * than that it happened: details stay in the log.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = HttpStatus.resolve(statusCode(request));
        if (status == null || !(status.is4xxClientError() || status.is5xxServerError())) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, status.is5xxServerError()
                ? "The server could not handle this request; the error was logged" : detail(status));
        problem.setTitle(status.getReasonPhrase());
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) {
            problem.setProperty("path", path);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static int statusCode(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Without one, this is a request for the error path itself, not an error dispatch.
        return code instanceof Integer i ? i : 404;
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request was rejected: malformed or not allowed (for example an encoded slash, "
                    + "a semicolon or '..' in the path)";
            case NOT_FOUND -> "No such resource";
            case METHOD_NOT_ALLOWED -> "This method is not allowed here";
            default -> status.getReasonPhrase();
        };
    }
}
