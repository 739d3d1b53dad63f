package dev.stepwise.server.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors raised outside the controllers (the servlet container, filters) as RFC 9457
 * problems, like every other error of the API. A server fault says no more than that it
 * happened: details stay in the log.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    private final ProblemResponses problems;

    ProblemErrorController(ProblemResponses problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Without a status this is a request for the error path itself, not an error dispatch.
        HttpStatus status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                ? HttpStatus.resolve(code) : HttpStatus.NOT_FOUND;
        if (status == null || !(status.is4xxClientError() || status.is5xxServerError())) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        problems.write(request, response, status, status.is5xxServerError()
                ? "The server could not handle this request; the error was logged"
                : "The request was not accepted: " + status.getReasonPhrase(), Map.of());
    }
}
