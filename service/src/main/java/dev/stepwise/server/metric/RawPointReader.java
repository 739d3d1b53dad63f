package dev.stepwise.server.metric;

import dev.stepwise.server.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pages through the raw points of one series in step order (then upload order), nothing
 * downsampled. Keyset pagination on the {@code (series_id, step, seq)} index: a cursor holds the
 * last {@code (step, seq)} returned, so every page is one index range scan of at most
 * {@code limit + 1} rows, whatever the page number, and memory is bounded by {@code limit}.
 */
@Component
class RawPointReader {

    static final int DEFAULT_LIMIT = 10_000;
    static final int MAX_LIMIT = 100_000;
    private static final String CURSOR_PREFIX = "p1:";

    /** One page of raw points as columns; {@code epoch} holds null where a point has none. */
    record Page(long[] step, double[] value, Integer[] epoch, Instant[] time, String nextCursor) {

        static Page empty() {
            return new Page(new long[0], new double[0], new Integer[0], new Instant[0], null);
        }
    }

    /** The position after the last point of a page. */
    record Position(long step, long seq) {}

    private final JdbcTemplate jdbc;

    RawPointReader(JdbcTemplate jdbc) {
        // Rows are streamed in chunks (inside a transaction) rather than loaded whole.
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(10_000);
    }

    /** Reads up to {@code limit} points of the series after {@code after} (null: from the start). */
    @Transactional(readOnly = true)
    Page page(long seriesId, Position after, int limit) {
        Buffer buffer = new Buffer(Math.min(limit, 1024), limit);
        String columns = "select step, seq, value, epoch, time_ms from metric_points where series_id = ? ";
        if (after == null) {
            jdbc.query(columns + "order by step, seq limit ?", buffer::add, seriesId, limit + 1);
        } else {
            jdbc.query(columns + "and (step, seq) > (?, ?) order by step, seq limit ?", buffer::add, seriesId,
                    after.step(), after.seq(), limit + 1);
        }
        return buffer.toPage();
    }

    static Position decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (!text.startsWith(CURSOR_PREFIX)) {
                throw new IllegalArgumentException(text);
            }
            String[] parts = text.substring(CURSOR_PREFIX.length()).split(":", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException(text);
            }
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("cursor", "is not a cursor returned by this endpoint");
        }
    }

    static String encodeCursor(Position position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (CURSOR_PREFIX + position.step() + ":" + position.seq()).getBytes(StandardCharsets.UTF_8));
    }

    /** Collects at most {@code limit} rows; one more row only tells that another page exists. */
    private static final class Buffer {
        private final int limit;
        private long[] step;
        private long[] seq;
        private double[] value;
        private Integer[] epoch;
        private long[] time;
        private int size;
        private boolean more;

        Buffer(int initial, int limit) {
            this.limit = limit;
            step = new long[initial];
            seq = new long[initial];
            value = new double[initial];
            epoch = new Integer[initial];
            time = new long[initial];
        }

        void add(java.sql.ResultSet rs) throws java.sql.SQLException {
            if (size == limit) {
                more = true;
                return;
            }
            if (size == step.length) {
                int grown = Math.min(limit, Math.max(16, size * 2));
                step = Arrays.copyOf(step, grown);
                seq = Arrays.copyOf(seq, grown);
                value = Arrays.copyOf(value, grown);
                epoch = Arrays.copyOf(epoch, grown);
                time = Arrays.copyOf(time, grown);
            }
            step[size] = rs.getLong(1);
            seq[size] = rs.getLong(2);
            value[size] = rs.getDouble(3);
            int e = rs.getInt(4);
            epoch[size] = rs.wasNull() ? null : e;
            time[size] = rs.getLong(5);
            size++;
        }

        Page toPage() {
            Instant[] times = new Instant[size];
            for (int i = 0; i < size; i++) {
                times[i] = Instant.ofEpochMilli(time[i]);
            }
            String next = more ? encodeCursor(new Position(step[size - 1], seq[size - 1])) : null;
            return new Page(Arrays.copyOf(step, size), Arrays.copyOf(value, size), Arrays.copyOf(epoch, size), times,
                    next);
        }
    }
}
