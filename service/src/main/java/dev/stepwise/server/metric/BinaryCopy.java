package dev.stepwise.server.metric;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * Rows in PostgreSQL's binary {@code COPY} format: numbers go over the wire as they are in memory,
 * with no text formatting or parsing on either side.
 */
final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private ByteBuffer buffer;

    BinaryCopy(int expectedBytes) {
        buffer = ByteBuffer.allocate(Math.max(64, expectedBytes + 32));
        buffer.put(SIGNATURE).putInt(0).putInt(0);
    }

    BinaryCopy row(int fields) {
        ensure(2);
        buffer.putShort((short) fields);
        return this;
    }

    BinaryCopy int8(long value) {
        ensure(12);
        buffer.putInt(8).putLong(value);
        return this;
    }

    BinaryCopy int4(int value) {
        ensure(8);
        buffer.putInt(4).putInt(value);
        return this;
    }

    BinaryCopy int2(short value) {
        ensure(6);
        buffer.putInt(2).putShort(value);
        return this;
    }

    BinaryCopy float8(double value) {
        ensure(12);
        buffer.putInt(8).putDouble(value);
        return this;
    }

    BinaryCopy nullValue() {
        ensure(4);
        buffer.putInt(-1);
        return this;
    }

    /** Sends the rows with {@code COPY <target> FROM STDIN (FORMAT binary)}. */
    long copyInto(Connection connection, String target) throws SQLException, IOException {
        ensure(2);
        buffer.putShort((short) -1);
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY " + target + " FROM STDIN (FORMAT binary)",
                new ByteArrayInputStream(buffer.array(), 0, buffer.position()));
    }

    private void ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }
}
