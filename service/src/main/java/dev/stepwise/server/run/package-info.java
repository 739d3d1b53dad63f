/**
 * Runs: create or resume by client id, read, update (config merges keys, status transitions),
 * delete with all their data (publishing {@link dev.stepwise.server.run.RunDeleted}), heartbeats
 * and crash detection, and the filtered, sorted run list. Runs are persisted through one model,
 * plain SQL in {@code RunStore}. Metric summaries reach runs through
 * {@link dev.stepwise.server.run.RunSummaries}, which the metric module implements, so this module
 * never reads metric tables. {@link dev.stepwise.server.run.RunService} is the module's public face.
 */
package dev.stepwise.server.run;
