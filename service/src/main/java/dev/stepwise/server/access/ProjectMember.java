package dev.stepwise.server.access;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "project_members")
class ProjectMember {

    @Embeddable
    record Key(@Column(name = "project_id") long projectId, @Column(name = "user_id") long userId)
            implements Serializable {}

    @EmbeddedId
    private Key id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ProjectRole role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ProjectMember() {}

    ProjectMember(long projectId, long userId, ProjectRole role) {
        this.id = new Key(projectId, userId);
        this.role = role;
        this.createdAt = Instant.now();
    }

    Key getId() { return id; }
    ProjectRole getRole() { return role; }
    void setRole(ProjectRole role) { this.role = role; }
}
