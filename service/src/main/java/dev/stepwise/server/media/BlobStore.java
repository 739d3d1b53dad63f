package dev.stepwise.server.media;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where the bytes of blobs live. Metadata (type, size, references) is always in PostgreSQL; a
 * store only keeps bytes by (project, sha256). Callers hold the blob's row lock while writing or
 * deleting, so one blob is never written and removed at the same time.
 */
interface BlobStore {

    /** Stores the verified bytes of {@code file} ({@code size} bytes). */
    void put(long projectId, String sha256, Path file, long size) throws IOException;

    /** Writes bytes {@code from}..{@code to} (inclusive) of the blob to {@code out}. */
    void read(long projectId, String sha256, long from, long to, OutputStream out) throws IOException;

    /** Removes the bytes; nothing happens when there are none. */
    void delete(long projectId, String sha256) throws IOException;
}
