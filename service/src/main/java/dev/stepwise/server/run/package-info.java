/**
 * Runs: create or resume by client id, read, update (config merges keys, status transitions),
 * delete with all their data, heartbeats and crash detection, and the filtered, sorted run list.
 * {@link dev.stepwise.server.run.RunService} is the module's public face; metric ingest reports
 * activity through it.
 */
package dev.stepwise.server.run;
