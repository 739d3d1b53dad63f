package dev.stepwise.server.audit;

import java.time.Instant;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AuditEventRepository extends JpaRepository<AuditEvent, Long> {

    @Query("select count(e) from AuditEvent e where e.type = :type and e.subject = :subject "
            + "and e.remoteIp = :remoteIp and e.createdAt > :since")
    long countSince(String type, String subject, String remoteIp, Instant since);

    @Query("select min(e.createdAt) from AuditEvent e where e.type = :type and e.subject = :subject "
            + "and e.remoteIp = :remoteIp and e.createdAt > :since")
    Instant oldestSince(String type, String subject, String remoteIp, Instant since);
}
