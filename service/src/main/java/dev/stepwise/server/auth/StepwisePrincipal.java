package dev.stepwise.server.auth;

/** Whoever makes a request: a person ({@link StepwiseUser}) or a project API key ({@link ApiKeyPrincipal}). */
public sealed interface StepwisePrincipal permits StepwiseUser, ApiKeyPrincipal {

    /** A short, stable description of the principal for audit and {@code createdBy} fields. */
    String describe();
}
