package dev.stepwise.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Service settings under {@code stepwise.*}; every entry has a {@code STEPWISE_*} environment
 * variable documented in the README.
 */
@ConfigurationProperties("stepwise")
public record StepwiseProperties(
        @DefaultValue("./stepwise-data") Path dataDir,
        @DefaultValue Admin admin,
        @DefaultValue Http http,
        @DefaultValue Login login,
        @DefaultValue EmbeddedDb embeddedDb,
        @DefaultValue Runs runs,
        @DefaultValue Media media) {

    /** Bootstrap administrator created on first start when no user exists. */
    public record Admin(@DefaultValue("admin") String username, String password) {}

    /** Request limits. */
    public record Http(@DefaultValue("16MB") DataSize maxBodyBytes) {}

    /** Failed-login throttling: at most {@code maxFailures} per user and address within {@code window}. */
    public record Login(@DefaultValue("5") int maxFailures, @DefaultValue("5m") Duration window) {}

    /** Embedded PostgreSQL used when no {@code spring.datasource.url} is configured; port 0 picks a free one. */
    public record EmbeddedDb(@DefaultValue("0") int port) {}

    /** Run liveness: a RUNNING run without activity for {@code crashAfter} becomes CRASHED. */
    public record Runs(@DefaultValue("5m") Duration crashAfter, @DefaultValue("30s") Duration sweepInterval) {}

    /**
     * Rich run data: blob size limit, where blobs live ({@code postgres} or {@code s3}), and how long
     * an unreferenced blob is kept before the collector removes it.
     */
    public record Media(@DefaultValue("64MB") DataSize maxBlobBytes, @DefaultValue("postgres") String blobStore,
            @DefaultValue("1h") Duration blobGracePeriod, @DefaultValue("15m") Duration collectInterval,
            @DefaultValue S3 s3) {}

    /** The S3-compatible bucket used with {@code blob-store: s3}; empty endpoint means AWS. */
    public record S3(String bucket, String endpoint, @DefaultValue("us-east-1") String region, String accessKey,
            String secretKey, @DefaultValue("false") boolean pathStyle, @DefaultValue("") String prefix) {}
}
