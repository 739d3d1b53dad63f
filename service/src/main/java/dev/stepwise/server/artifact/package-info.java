/**
 * Artifact references of runs: a name, a URI recorded as given (never opened by the server),
 * kind, description, optional size and SHA-256.
 */
package dev.stepwise.server.artifact;
