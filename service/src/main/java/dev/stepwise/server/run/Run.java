package dev.stepwise.server.run;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A run's own fields and tags. Creation (idempotent by id), activity and crash marking are single
 * SQL statements in {@link RunStore}; config entries keep their JSON type in {@code run_config}.
 */
@Entity
@Table(name = "runs")
class Run {

    @Id
    private UUID id;

    @Column(name = "project_id", nullable = false)
    private long projectId;

    private String name;

    @Column(name = "run_group")
    private String group;

    private String notes;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RunStatus status;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    @Column(name = "active_at", nullable = false)
    private Instant activeAt;

    @ElementCollection
    @CollectionTable(name = "run_tags", joinColumns = @JoinColumn(name = "run_id"))
    @Column(name = "tag")
    private Set<String> tags = new HashSet<>();

    protected Run() {}

    long getProjectId() { return projectId; }
    RunStatus getStatus() { return status; }
    void setName(String name) { this.name = name; }
    void setGroup(String group) { this.group = group; }
    void setNotes(String notes) { this.notes = notes; }

    void replaceTags(Collection<String> newTags) {
        tags.clear();
        tags.addAll(newTags);
    }

    /** Moves to {@code next}; terminal states (and CRASHED) record the end, RUNNING clears it. */
    void transition(RunStatus next, Instant now) {
        status = next;
        activeAt = now;
        if (next == RunStatus.RUNNING) {
            endedAt = null;
            heartbeatAt = now;
        } else if (endedAt == null) {
            endedAt = now;
        }
    }
}
