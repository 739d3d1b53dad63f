package dev.stepwise.server.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Blobs as rows of at most {@link #CHUNK_BYTES} in {@code blob_chunks}: every replica sees them and
 * a database backup covers them. Writes join the caller's transaction; reads fetch one chunk per
 * query, so neither direction holds more than one chunk in memory.
 */
class PostgresBlobStore implements BlobStore {

    static final int CHUNK_BYTES = 1024 * 1024;

    private final JdbcTemplate jdbc;

    PostgresBlobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(long projectId, String sha256, Path file, long size) throws IOException {
        jdbc.update("delete from blob_chunks where project_id = ? and sha256 = ?", projectId, sha256);
        byte[] buffer = new byte[CHUNK_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            int chunk = 0;
            while (true) {
                int n = in.readNBytes(buffer, 0, CHUNK_BYTES);
                if (n == 0 && chunk > 0) {
                    break;
                }
                byte[] data = n == CHUNK_BYTES ? buffer : java.util.Arrays.copyOf(buffer, n);
                jdbc.update("insert into blob_chunks (project_id, sha256, chunk_no, data) values (?, ?, ?, ?)",
                        projectId, sha256, chunk++, data);
                if (n < CHUNK_BYTES) {
                    break;
                }
            }
        }
    }

    @Override
    public void read(long projectId, String sha256, long from, long to, OutputStream out) throws IOException {
        for (long chunk = from / CHUNK_BYTES; chunk <= to / CHUNK_BYTES; chunk++) {
            long chunkStart = chunk * CHUNK_BYTES;
            byte[] data = jdbc.query("select data from blob_chunks where project_id = ? and sha256 = ? and chunk_no = ?",
                    rs -> rs.next() ? rs.getBytes(1) : null, projectId, sha256, (int) chunk);
            if (data == null) {
                throw new IOException("blob " + sha256 + " has no chunk " + chunk);
            }
            int start = (int) Math.max(0, from - chunkStart);
            int end = (int) Math.min(data.length - 1L, to - chunkStart);
            out.write(data, start, end - start + 1);
        }
    }

    @Override
    public void delete(long projectId, String sha256) {
        jdbc.update("delete from blob_chunks where project_id = ? and sha256 = ?", projectId, sha256);
    }
}
