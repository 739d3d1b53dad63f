package dev.stepwise.server.run;

import java.util.UUID;

/** Published inside the deleting transaction, so other modules remove the run's data with it. */
public record RunDeleted(UUID runId, long projectId) {}
