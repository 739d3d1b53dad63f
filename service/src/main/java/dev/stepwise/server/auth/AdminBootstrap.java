package dev.stepwise.server.auth;

import dev.stepwise.server.config.StepwiseProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Creates the first admin when the database has no users: {@code STEPWISE_ADMIN_USERNAME} with
 * {@code STEPWISE_ADMIN_PASSWORD}, or a generated password that is logged once and written to
 * {@code <data dir>/initial-admin-password} with mode 0600.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserAccountService users;
    private final StepwiseProperties properties;

    AdminBootstrap(UserAccountService users, StepwiseProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (users.anyUserExists()) {
            return;
        }
        String username = properties.admin().username();
        String password = properties.admin().password();
        boolean generated = !StringUtils.hasText(password);
        if (generated) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        users.create(username, password, "Administrator", true, "bootstrap");
        if (generated) {
            Path file = writePasswordFile(password);
            log.warn("Created admin user '{}' with generated password: {}  (also written to {})", username,
                    password, file);
        } else {
            log.info("Created admin user '{}' with the password from STEPWISE_ADMIN_PASSWORD", username);
        }
    }

    private Path writePasswordFile(String password) throws IOException {
        Path dir = properties.dataDir().toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path file = dir.resolve("initial-admin-password");
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, password + System.lineSeparator());
        return file;
    }
}
