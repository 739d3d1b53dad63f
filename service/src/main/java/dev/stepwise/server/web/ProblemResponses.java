package dev.stepwise.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem details from servlet filters, where controller advice does not reach. */
@Component
public class ProblemResponses {

    private final JsonMapper jsonMapper;
    private final List<ErrorShape> shapes;

    ProblemResponses(JsonMapper jsonMapper, ObjectProvider<ErrorShape> shapes) {
        this.jsonMapper = jsonMapper;
        this.shapes = shapes.orderedStream().toList();
    }

    /**
     * Answers {@code status} with a problem body ({@link Problems}), or with the body of the
     * {@link ErrorShape} that applies to the request.
     */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail,
            Map<String, String> headers) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ErrorShape shape = request == null ? null
                : shapes.stream().filter(s -> s.appliesTo(request)).findFirst().orElse(null);
        Object body = shape != null ? shape.body(status, detail) : Problems.of(status, detail);
        response.resetBuffer();
        response.setStatus(status.value());
        headers.forEach(response::setHeader);
        response.setContentType(shape != null ? MediaType.APPLICATION_JSON_VALUE
                : MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        jsonMapper.writeValue(response.getOutputStream(), body);
    }
}
