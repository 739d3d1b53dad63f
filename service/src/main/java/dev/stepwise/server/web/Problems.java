package dev.stepwise.server.web;

import dev.stepwise.server.web.ProblemException.FieldProblem;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The one factory of RFC 9457 problem bodies, used by {@link ProblemException}, the controller
 * advice, the servlet filters' {@link ProblemResponses} and the error page: the status, its reason
 * phrase as {@code title}, a readable {@code detail} and, for invalid input, {@code errors} as a list
 * of {@code {field, message}}.
 */
public final class Problems {

    private Problems() {}

    /** A problem with the status's reason phrase as title. */
    public static ProblemDetail of(HttpStatusCode status, String detail) {
        return of(status, detail, null);
    }

    /** A problem that also lists the invalid fields ({@code errors}) when there are any. */
    public static ProblemDetail of(HttpStatusCode status, String detail, @Nullable List<FieldProblem> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        HttpStatus known = HttpStatus.resolve(status.value());
        body.setTitle(known != null ? known.getReasonPhrase() : "Error " + status.value());
        if (errors != null) {
            body.setProperty("errors", errors);
        }
        return body;
    }
}
