/**
 * TrainLog interchange: a run exported as TrainLog JSON (series aligned on the union of steps,
 * {@code "NaN"} where a key did not report, metadata as notes) and TrainLog files imported as runs.
 */
package dev.stepwise.server.trainlog;
