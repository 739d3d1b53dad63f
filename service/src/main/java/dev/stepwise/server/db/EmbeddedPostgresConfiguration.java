package dev.stepwise.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.stepwise.server.config.StepwiseProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts PostgreSQL from the embedded binaries when no external database is configured. Its data
 * lives in {@code <data dir>/postgres}, so users, projects and metrics survive restarts; the server
 * is stopped after the connection pool has closed.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoExternalDatabase.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** The embedded server and the watchdog that stops it if this JVM dies without closing it. */
    record Embedded(EmbeddedPostgres postgres, Optional<Process> watchdog) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                postgres.close();
            } finally {
                watchdog.ifPresent(Process::destroy);
            }
        }
    }

    @Bean(destroyMethod = "close")
    Embedded embeddedPostgres(StepwiseProperties properties) throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize().resolve("postgres");
        Files.createDirectories(dataDir);
        // A service killed with SIGKILL leaves its postmaster behind, holding postmaster.pid.
        EmbeddedPostmaster.stopOrphan(dataDir, Duration.ofSeconds(30));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // The embedded defaults trade durability for speed; an accepted metric must survive a crash.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "100");
        if (properties.embeddedDb().port() > 0) {
            builder.setPort(properties.embeddedDb().port());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dataDir);
        return new Embedded(postgres, EmbeddedPostmaster.watchdog(dataDir));
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(Embedded embedded) {
        EmbeddedPostgres postgres = embedded.postgres();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPoolName("stepwise");
        config.setMaximumPoolSize(16);
        // A request waits at most this long for a connection; then it is a 503 with Retry-After.
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    static final class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
