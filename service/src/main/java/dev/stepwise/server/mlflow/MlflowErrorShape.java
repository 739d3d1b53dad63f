package dev.stepwise.server.mlflow;

import dev.stepwise.server.web.ErrorShape;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Errors that reach an MLflow client before the MLflow controllers do (no or bad credentials, a
 * refused {@code Accept} header, an oversized body, the firewall) in MLflow's {@code {error_code,
 * message}} shape, with the same status.
 */
@Component
class MlflowErrorShape implements ErrorShape {

    @Override
    public boolean appliesTo(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri != null && (uri.startsWith("/api/2.0/mlflow/") || uri.startsWith("/ajax-api/2.0/mlflow/"));
    }

    @Override
    public Object body(HttpStatus status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", code(status).name());
        body.put("message", detail);
        return body;
    }

    static MlflowException.Code code(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> MlflowException.Code.UNAUTHENTICATED;
            case FORBIDDEN -> MlflowException.Code.PERMISSION_DENIED;
            case NOT_FOUND -> MlflowException.Code.ENDPOINT_NOT_FOUND;
            case TOO_MANY_REQUESTS -> MlflowException.Code.REQUEST_LIMIT_EXCEEDED;
            default -> status.is5xxServerError() ? MlflowException.Code.INTERNAL_ERROR
                    : MlflowException.Code.BAD_REQUEST;
        };
    }
}
