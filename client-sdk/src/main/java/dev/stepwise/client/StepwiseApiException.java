package dev.stepwise.client;

/**
 * A read-back request of {@link StepwiseApi} that failed: the server refused it, or it could not
 * be reached within the retry policy. A {@link StepwiseException}, so one catch covers both.
 *
 * <p>Immutable and thread-safe.
 */
public final class StepwiseApiException extends StepwiseException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status of the last answer, or {@code 0} when none came
     * @param message what was asked and the server's reason
     */
    public StepwiseApiException(int status, String message) {
        super(message, status);
    }
}
