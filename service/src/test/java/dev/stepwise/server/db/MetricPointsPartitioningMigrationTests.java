package dev.stepwise.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The migration that partitions {@code metric_points} converts a database filled by the previous
 * schema in place: every point is kept, the table is partitioned by hash of series, and reads of
 * one series touch one partition.
 */
class MetricPointsPartitioningMigrationTests {

    private static final int SERIES = 40;
    private static final int POINTS_PER_SERIES = 250;

    @Test
    void convertsAFilledDatabaseInPlaceKeepingEveryPoint() throws SQLException {
        TestDatabases.Database db = TestDatabases.createDatabase();
        flyway(db).target("5").load().migrate();
        List<long[]> before;
        try (Connection c = connect(db)) {
            fillWithPreviousSchema(c);
            before = points(c);
        }
        assertThat(before).hasSize(SERIES * POINTS_PER_SERIES);

        flyway(db).load().migrate();

        try (Connection c = connect(db); Statement s = c.createStatement()) {
            assertThat(points(c)).containsExactlyElementsOf(before);
            try (ResultSet rs = s.executeQuery("select c.relkind, count(i.inhrelid) from pg_class c "
                    + "left join pg_inherits i on i.inhparent = c.oid where c.relname = 'metric_points' group by c.relkind")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("p");
                assertThat(rs.getInt(2)).isEqualTo(16);
            }
            try (ResultSet rs = s.executeQuery("select to_regclass('metric_points_unpartitioned')")) {
                rs.next();
                assertThat(rs.getString(1)).isNull();
            }
            // Rows of all series are spread over several partitions, and each series lives in one.
            try (ResultSet rs = s.executeQuery("select (select count(distinct tableoid) from metric_points), "
                    + "(select max(parts) from (select count(distinct tableoid) as parts from metric_points "
                    + "group by series_id) x)")) {
                rs.next();
                assertThat(rs.getInt(1)).isGreaterThan(8);
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "explain (costs off) select step, value from metric_points where series_id = ? order by step, seq")) {
                ps.setLong(1, before.get(0)[0]);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                // Partition names, not their index names (metric_points_pNN_series_id_…).
                assertThat(Pattern.compile("metric_points_p\\d{2}(?!_)").matcher(plan).results()
                        .map(MatchResult::group).distinct()).hasSize(1);
            }
        }
    }

    private static FluentConfiguration flyway(TestDatabases.Database db) {
        return Flyway.configure().dataSource(db.url(), db.username(), db.password())
                .locations("classpath:db/migration");
    }

    private static Connection connect(TestDatabases.Database db) throws SQLException {
        return DriverManager.getConnection(db.url(), db.username(), db.password());
    }

    private static void fillWithPreviousSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("insert into projects (slug, name) values ('old', 'Old project')");
        }
        UUID run = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("insert into runs (id, project_id, status) "
                + "select ?, id, 'FINISHED' from projects where slug = 'old'")) {
            ps.setObject(1, run);
            ps.executeUpdate();
        }
        try (PreparedStatement series = c.prepareStatement(
                "insert into metric_series (run_id, key) values (?, ?) returning id");
                PreparedStatement point = c.prepareStatement("insert into metric_points "
                        + "(series_id, step, seq, epoch, time_ms, value) values (?, ?, ?, ?, ?, ?)")) {
            for (int k = 0; k < SERIES; k++) {
                series.setObject(1, run);
                series.setString(2, "key/" + k);
                long id;
                try (ResultSet rs = series.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                for (int i = 0; i < POINTS_PER_SERIES; i++) {
                    point.setLong(1, id);
                    point.setLong(2, i);
                    point.setLong(3, i);
                    point.setInt(4, i / 100);
                    point.setLong(5, 1_700_000_000_000L + i);
                    point.setDouble(6, k + i / 1000.0);
                    point.addBatch();
                }
            }
            point.executeBatch();
        }
    }

    private static List<long[]> points(Connection c) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select series_id, step, seq, epoch, "
                + "time_ms, value from metric_points order by series_id, step, seq")) {
            while (rs.next()) {
                out.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getLong(5),
                        Double.doubleToLongBits(rs.getDouble(6))});
            }
        }
        return out;
    }
}
