package dev.stepwise.client;

/**
 * Thrown when the server refuses something that will never succeed, such as starting a run in a
 * project that does not exist or with a bad, revoked or read-only key. The message carries the
 * server's reason (the problem {@code detail}).
 *
 * <p>Network trouble never causes it while logging: that is retried and spooled instead. Reading
 * back through {@link StepwiseApi} throws its subclass {@link StepwiseApiException}. Immutable.
 */
public class StepwiseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param message what failed and the server's reason
     * @param status the HTTP status the server answered, or 0 when there was none
     */
    public StepwiseException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** @return the HTTP status the server answered, or 0 when there was none */
    public int status() {
        return status;
    }
}
