package dev.stepwise.server.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Blobs as objects {@code <prefix><projectId>/<sha256>} in an S3-compatible bucket. Each project
 * has its own object per blob, like the PostgreSQL store, so projects never share bytes.
 */
class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
    }

    String objectKey(long projectId, String sha256) {
        return prefix + projectId + "/" + sha256;
    }

    @Override
    public void put(long projectId, String sha256, Path file, long size) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(objectKey(projectId, sha256)).contentLength(size),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IOException("S3 upload of blob " + sha256 + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void read(long projectId, String sha256, long from, long to, OutputStream out) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket)
                .key(objectKey(projectId, sha256)).range("bytes=" + from + "-" + to))) {
            transfer(in, out);
        } catch (SdkException e) {
            throw new IOException("S3 download of blob " + sha256 + " failed: " + e.getMessage(), e);
        }
    }

    private static void transfer(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }

    @Override
    public void delete(long projectId, String sha256) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey(projectId, sha256)));
        } catch (SdkException e) {
            throw new IOException("S3 delete of blob " + sha256 + " failed: " + e.getMessage(), e);
        }
    }
}
