package dev.stepwise.server.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "audit_events")
class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private String type;

    private String actor;

    @Column(name = "project_id")
    private Long projectId;

    private String subject;

    @Column(name = "remote_ip")
    private String remoteIp;

    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Object> details;

    protected AuditEvent() {}

    AuditEvent(Instant createdAt, String type, String actor, Long projectId, String subject, String remoteIp,
            Map<String, Object> details) {
        this.createdAt = createdAt;
        this.type = type;
        this.actor = actor;
        this.projectId = projectId;
        this.subject = subject;
        this.remoteIp = remoteIp;
        this.details = details;
    }
}
