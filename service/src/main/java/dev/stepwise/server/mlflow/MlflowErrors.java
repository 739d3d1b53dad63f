package dev.stepwise.server.mlflow;

import dev.stepwise.server.mlflow.MlflowException.Code;
import dev.stepwise.server.web.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the MLflow controllers in MLflow's shape: problems raised by the native services keep
 * their status and get the matching MLflow code (404 → RESOURCE_DOES_NOT_EXIST, 403 →
 * PERMISSION_DENIED, 409 and other 4xx → INVALID_PARAMETER_VALUE with status 400).
 */
@RestControllerAdvice(basePackageClasses = MlflowErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class MlflowErrors {

    private static final Logger log = LoggerFactory.getLogger(MlflowErrors.class);

    @ExceptionHandler(MlflowException.class)
    ResponseEntity<Map<String, Object>> mlflow(MlflowException e) {
        return body(e.code(), e.getMessage(), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, Object>> problem(ProblemException e) {
        HttpStatusCode status = e.getStatusCode();
        String detail = e.getBody().getDetail();
        Code code = switch (status.value()) {
            case 404 -> Code.RESOURCE_DOES_NOT_EXIST;
            case 403 -> Code.PERMISSION_DENIED;
            case 401 -> Code.UNAUTHENTICATED;
            case 429 -> Code.REQUEST_LIMIT_EXCEEDED;
            default -> status.is4xxClientError() ? Code.INVALID_PARAMETER_VALUE : Code.INTERNAL_ERROR;
        };
        if (code == Code.INTERNAL_ERROR) {
            log.error("Unexpected problem in the MLflow API", e);
        }
        return body(code, detail, e.getHeaders());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(Code.MALFORMED_REQUEST, "The request body is not valid JSON", HttpHeaders.EMPTY);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Map<String, Object>> unauthenticated(AuthenticationException e) {
        return body(Code.UNAUTHENTICATED, "Authentication required: a Bearer API key or HTTP Basic credentials",
                HttpHeaders.EMPTY);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("Unexpected error in the MLflow API", e);
        return body(Code.INTERNAL_ERROR, "An unexpected error occurred", HttpHeaders.EMPTY);
    }

    private static ResponseEntity<Map<String, Object>> body(Code code, String message, HttpHeaders headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code.name());
        body.put("message", message == null ? code.name() : message);
        return ResponseEntity.status(code.status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
