/**
 * Rich run data: content-addressed blobs per project (PostgreSQL or an S3-compatible bucket,
 * streamed in and out), media items keyed run-first (images, audio, video, text, histograms,
 * point clouds, graphs, confusion matrices, tables) ingested exactly once per batch id, and the
 * collector of blobs nothing refers to any more. {@link dev.stepwise.server.media.BlobService} and
 * {@link dev.stepwise.server.media.MediaService} are the public services.
 */
package dev.stepwise.server.media;
