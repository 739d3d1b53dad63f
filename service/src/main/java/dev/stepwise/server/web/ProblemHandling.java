package dev.stepwise.server.web;

import dev.stepwise.server.web.ProblemException.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where exceptions become RFC 9457 problem responses. Client mistakes are 4xx with
 * a readable detail; anything unexpected is a 500 without internals.
 */
@RestControllerAdvice
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);
    static final int RETRY_AFTER_SECONDS = 5;

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors()
                .forEach(e -> errors.add(new FieldProblem(e.getField(), e.getDefaultMessage())));
        ex.getBindingResult().getGlobalErrors()
                .forEach(e -> errors.add(new FieldProblem(e.getObjectName(), e.getDefaultMessage())));
        return problem(HttpStatus.BAD_REQUEST, summary(errors), errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(e -> errors.add(new FieldProblem(name, e.getDefaultMessage())));
        });
        return problem(HttpStatus.BAD_REQUEST, summary(errors), errors, headers);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return problem(HttpStatus.CONTENT_TOO_LARGE, "Request body is too large: " + tooLarge.getMessage(),
                        null, headers);
            }
            if (cause instanceof ZipException) {
                return problem(HttpStatus.BAD_REQUEST, "Request body is not valid gzip", null, headers);
            }
        }
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                String field = unknown.getPropertyName();
                return problem(HttpStatus.BAD_REQUEST, "Unknown field '" + field + "'",
                        List.of(new FieldProblem(field, "unknown field")), headers);
            }
            if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
                String field = path(databind);
                return problem(HttpStatus.BAD_REQUEST, "Invalid value for '" + field + "'",
                        List.of(new FieldProblem(field, "has the wrong type or format")), headers);
            }
            if (cause instanceof JacksonException) {
                return problem(HttpStatus.BAD_REQUEST, "Malformed JSON request body", null, headers);
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "Request body is missing or unreadable", null, headers);
    }

    private static String path(DatabindException ex) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> tooLarge(PayloadTooLargeException ex) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Request body is too large: " + ex.getMessage(), null,
                new HttpHeaders());
    }

    /**
     * The database is unreachable or refused a connection in time: a temporary condition the
     * client should retry, not a server bug — 503 with {@code Retry-After}, and one log line.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessResourceException.class, QueryTimeoutException.class})
    ResponseEntity<Object> databaseUnavailable(Exception ex) {
        log.warn("Database unavailable: {}", ex.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        return problem(HttpStatus.SERVICE_UNAVAILABLE,
                "The database is not available right now; retry in a few seconds", null, headers);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> accessDenied(AccessDeniedException ex) {
        return problem(HttpStatus.FORBIDDEN, "You may not perform this action", null, new HttpHeaders());
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException ex) {
        return problem(HttpStatus.UNAUTHORIZED, "Authentication required", null, new HttpHeaders());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred", null, new HttpHeaders());
    }

    /** Spring MVC's own errors (405, 406, 415, missing parameters…) get their body from {@link Problems} too. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail spring) {
            ProblemDetail ours = Problems.of(statusCode, spring.getDetail());
            if (spring.getProperties() != null) {
                spring.getProperties().forEach(ours::setProperty);
            }
            body = ours;
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String summary(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            return "Request is invalid";
        }
        FieldProblem first = errors.get(0);
        return "Invalid request: " + first.field() + " " + first.message()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail, @Nullable List<FieldProblem> errors,
            HttpHeaders headers) {
        return ResponseEntity.status(status).headers(headers).body(Problems.of(status, detail, errors));
    }
}
