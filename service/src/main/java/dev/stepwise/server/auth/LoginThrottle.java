package dev.stepwise.server.auth;

import dev.stepwise.server.audit.AuditLog;
import dev.stepwise.server.config.StepwiseProperties;
import dev.stepwise.server.web.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Throttles password guessing: after {@code stepwise.login.max-failures} failed logins for one
 * username from one address within {@code stepwise.login.window}, further attempts answer 429 with
 * {@code Retry-After} until the oldest failure leaves the window. Counts come from the audit log in
 * PostgreSQL, so the limit holds across service replicas and restarts.
 */
@Component
class LoginThrottle {

    private final AuditLog events;
    private final StepwiseProperties.Login settings;
    private final Clock clock;

    LoginThrottle(AuditLog events, StepwiseProperties properties, Clock clock) {
        this.events = events;
        this.settings = properties.login();
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    void check(String username, String remoteIp) {
        Instant now = clock.instant();
        Instant since = now.minus(settings.window());
        String ip = remoteIp == null ? "" : remoteIp;
        long failures = events.countSince(AuditLog.LOGIN_FAILED, username, ip, since);
        if (failures >= settings.maxFailures()) {
            Instant oldest = events.oldestSince(AuditLog.LOGIN_FAILED, username, ip, since);
            long retryAfter = Math.max(1, Duration.between(now, oldest.plus(settings.window())).toSeconds() + 1);
            throw new ProblemException(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS,
                    "Too many failed logins; try again in " + retryAfter + " seconds")
                    .withHeader("Retry-After", Long.toString(retryAfter));
        }
    }
}
