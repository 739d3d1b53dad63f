package dev.stepwise.client;

/**
 * A read-back request of {@link StepwiseApi} that failed: the server refused it, or it could not
 * be reached within the retry policy.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepwiseApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status of the last answer, or {@code 0} when none came
     * @param message what was asked and the server's reason
     */
    public StepwiseApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return the HTTP status of the last answer (404 for a run that does not exist), or 0 when none came */
    public int status() {
        return status;
    }
}
