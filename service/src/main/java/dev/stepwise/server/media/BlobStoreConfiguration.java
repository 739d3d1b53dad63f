package dev.stepwise.server.media;

import dev.stepwise.server.config.StepwiseProperties;
import java.net.URI;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Chooses the blob store from {@code STEPWISE_BLOB_STORE}: {@code postgres} (default) or {@code s3}. */
@Configuration(proxyBeanMethods = false)
class BlobStoreConfiguration {

    @Bean(destroyMethod = "")
    BlobStore blobStore(StepwiseProperties properties, JdbcTemplate jdbc) {
        StepwiseProperties.Media media = properties.media();
        return switch (media.blobStore().trim().toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql", "" -> new PostgresBlobStore(jdbc);
            case "s3" -> {
                StepwiseProperties.S3 s3 = media.s3();
                if (s3.bucket() == null || s3.bucket().isBlank()) {
                    throw new IllegalStateException("STEPWISE_BLOB_STORE=s3 needs STEPWISE_S3_BUCKET");
                }
                yield new S3BlobStore(s3Client(s3), s3.bucket(), s3.prefix());
            }
            default -> throw new IllegalStateException("STEPWISE_BLOB_STORE must be postgres or s3, not '"
                    + media.blobStore() + "'");
        };
    }

    static S3Client s3Client(StepwiseProperties.S3 s3) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle());
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(s3.endpoint()));
        }
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }
}
