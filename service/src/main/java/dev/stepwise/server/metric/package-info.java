/**
 * Metric points: exactly-once bulk ingest with {@code COPY}, per-key summaries and multi-resolution
 * rollups maintained in the same transaction, spike-preserving downsampled series, per-epoch
 * reductions. {@link dev.stepwise.server.metric.MetricIngestService} and
 * {@link dev.stepwise.server.metric.MetricReads} are the public services.
 */
package dev.stepwise.server.metric;
