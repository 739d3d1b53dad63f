package dev.stepwise.server.auth;

import java.io.Serializable;
import java.util.UUID;

/** A request authenticated with a project API key; it can only ever reach {@code projectId}. */
public record ApiKeyPrincipal(UUID keyId, String prefix, long projectId, String project, ApiKeyScope scope)
        implements StepwisePrincipal, Serializable {

    @Override
    public String describe() {
        return "key:" + prefix;
    }
}
