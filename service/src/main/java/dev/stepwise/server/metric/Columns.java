package dev.stepwise.server.metric;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reading nullable {@code double precision} columns. */
final class Columns {

    private Columns() {}

    /** The column's value, or NaN when it is SQL NULL (e.g. min/max of a block with only NaN values). */
    static double nanIfNull(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** The column's value, or null when it is SQL NULL. */
    static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
