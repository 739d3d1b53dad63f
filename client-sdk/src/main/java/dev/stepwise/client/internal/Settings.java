package dev.stepwise.client.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.stepwise.client.Mode;
import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Sleeper;

/**
 * The resolved configuration of one client, after builder values and environment variables.
 * Not API: may change without notice. Immutable.
 *
 * @param mode where data goes
 * @param baseUrl server root without trailing slash and without {@code /api/v1}, or {@code null}
 * @param apiKey bearer key, or {@code null}
 * @param project project slug, or {@code null} (only when disabled)
 * @param spoolDir spool directory
 * @param spoolMaxBytes byte cap of the spool directory
 * @param batchSize points per upload
 * @param queueCapacity points held in memory before overflowing to the spool
 * @param flushInterval longest time a point waits before its batch is sent
 * @param heartbeatInterval time between heartbeats of an open run
 * @param closeTimeout deadline for close and the shutdown hook
 * @param requestTimeout timeout of one HTTP request
 * @param connectTimeout timeout of opening a connection
 * @param probeInterval time between replay attempts while the server is down
 * @param retryPolicy retry policy
 * @param clock clock for timestamps and {@code Retry-After} dates
 * @param sleeper sleeper for retry waits
 * @param shutdownHook whether to register a JVM shutdown hook
 */
public record Settings(Mode mode, String baseUrl, String apiKey, String project, Path spoolDir, long spoolMaxBytes,
                       int batchSize, int queueCapacity, Duration flushInterval, Duration heartbeatInterval,
                       Duration closeTimeout, Duration requestTimeout, Duration connectTimeout,
                       Duration probeInterval, RetryPolicy retryPolicy, Clock clock, Sleeper sleeper,
                       boolean shutdownHook) {
}
