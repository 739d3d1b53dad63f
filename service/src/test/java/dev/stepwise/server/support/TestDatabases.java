package dev.stepwise.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server tests run against: {@code STEPWISE_TEST_JDBC_URL} (with
 * {@code STEPWISE_TEST_JDBC_USER} / {@code STEPWISE_TEST_JDBC_PASSWORD}) when set, otherwise one
 * embedded PostgreSQL per test JVM. Every Spring context gets a fresh database on that server.
 */
public final class TestDatabases {

    /** Connection settings of one database. */
    public record Database(String url, String username, String password) {}

    private static final AtomicInteger counter = new AtomicInteger();
    private static final String runId = Long.toString(ProcessHandle.current().pid());
    private static volatile Database admin;

    private TestDatabases() {}

    /** Creates a new, empty database and returns its settings. */
    public static Database createDatabase() {
        Database server = server();
        String name = "stepwise_test_" + runId + "_" + counter.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server.url(), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new Database(withDatabase(server.url(), name), server.username(), server.password());
    }

    private static Database server() {
        Database current = admin;
        if (current == null) {
            synchronized (TestDatabases.class) {
                current = admin;
                if (current == null) {
                    current = admin = startServer();
                }
            }
        }
        return current;
    }

    private static Database startServer() {
        String external = System.getenv("STEPWISE_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            return new Database(external, System.getenv().getOrDefault("STEPWISE_TEST_JDBC_USER", "postgres"),
                    System.getenv().getOrDefault("STEPWISE_TEST_JDBC_PASSWORD", ""));
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary data directory is removed by the library
                }
            }));
            return new Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + params;
    }
}
