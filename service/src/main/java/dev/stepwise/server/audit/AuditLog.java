package dev.stepwise.server.audit;

import java.time.Clock;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Records security-relevant events (logins, failed logins, keys, members) in {@code audit_events}. */
@Service
public class AuditLog {

    public static final String LOGIN = "LOGIN";
    public static final String LOGIN_FAILED = "LOGIN_FAILED";
    public static final String API_KEY_CREATED = "API_KEY_CREATED";
    public static final String API_KEY_REVOKED = "API_KEY_REVOKED";
    public static final String MEMBER_CHANGED = "MEMBER_CHANGED";
    public static final String MEMBER_REMOVED = "MEMBER_REMOVED";
    public static final String USER_CREATED = "USER_CREATED";
    public static final String PROJECT_CREATED = "PROJECT_CREATED";

    private final AuditEventRepository events;
    private final Clock clock;

    AuditLog(AuditEventRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Records an event in the caller's transaction (or its own when there is none). */
    @Transactional
    public void record(String type, String actor, Long projectId, String subject, Map<String, Object> details) {
        events.save(new AuditEvent(clock.instant(), type, actor, projectId, subject, remoteAddress(), details));
    }

    /** Records an event that must persist even when the surrounding work is rolled back (failed logins). */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordIndependently(String type, String actor, Long projectId, String subject,
            Map<String, Object> details) {
        record(type, actor, projectId, subject, details);
    }

    /** Events of {@code type} for {@code subject} from {@code remoteIp} after {@code since}. */
    @Transactional(readOnly = true)
    public long countSince(String type, String subject, String remoteIp, java.time.Instant since) {
        return events.countSince(type, subject, remoteIp, since);
    }

    /** The oldest such event, or null when there is none. */
    @Transactional(readOnly = true)
    public java.time.Instant oldestSince(String type, String subject, String remoteIp, java.time.Instant since) {
        return events.oldestSince(type, subject, remoteIp, since);
    }

    static String remoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return attributes.getRequest().getRemoteAddr();
        }
        return null;
    }
}
