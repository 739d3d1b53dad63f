package dev.stepwise.server.mlflow;

import org.springframework.http.HttpStatus;

/** An error answered in MLflow's shape {@code {error_code, message}} with MLflow's status for the code. */
class MlflowException extends RuntimeException {

    /** MLflow's error codes that this API answers, with the HTTP status MLflow gives each. */
    enum Code {
        INVALID_PARAMETER_VALUE(HttpStatus.BAD_REQUEST),
        BAD_REQUEST(HttpStatus.BAD_REQUEST),
        MALFORMED_REQUEST(HttpStatus.BAD_REQUEST),
        RESOURCE_ALREADY_EXISTS(HttpStatus.BAD_REQUEST),
        RESOURCE_DOES_NOT_EXIST(HttpStatus.NOT_FOUND),
        ENDPOINT_NOT_FOUND(HttpStatus.NOT_FOUND),
        PERMISSION_DENIED(HttpStatus.FORBIDDEN),
        UNAUTHENTICATED(HttpStatus.UNAUTHORIZED),
        REQUEST_LIMIT_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS),
        INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

        final HttpStatus status;

        Code(HttpStatus status) {
            this.status = status;
        }
    }

    private final Code code;

    MlflowException(Code code, String message) {
        super(message);
        this.code = code;
    }

    Code code() {
        return code;
    }

    static MlflowException invalid(String message) {
        return new MlflowException(Code.INVALID_PARAMETER_VALUE, message);
    }

    static MlflowException notFound(String message) {
        return new MlflowException(Code.RESOURCE_DOES_NOT_EXIST, message);
    }
}
