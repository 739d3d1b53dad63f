package dev.stepwise.server.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * An error answered as an RFC 9457 problem: status, title, detail and, for validation errors, a
 * list of {@code {field, message}}.
 */
public class ProblemException extends ErrorResponseException {

    /** One invalid field of a request. */
    public record FieldProblem(String field, String message) {}

    public ProblemException(HttpStatus status, String detail) {
        super(status, Problems.of(status, detail), null);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, detail);
    }

    public static ProblemException invalid(String field, String message) {
        return badRequest(field + ": " + message).withErrors(List.of(new FieldProblem(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(HttpStatus.FORBIDDEN, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(HttpStatus.CONFLICT, detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, detail);
    }

    public ProblemException withErrors(List<FieldProblem> errors) {
        getBody().setProperty("errors", errors);
        return this;
    }

    public ProblemException withProperty(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    public ProblemException withHeader(String name, String value) {
        getHeaders().set(name, value);
        return this;
    }
}
