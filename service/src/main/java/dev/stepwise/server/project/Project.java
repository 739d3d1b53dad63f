package dev.stepwise.server.project;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "projects")
class Project {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String slug;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "created_by")
    private Long createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Project() {}

    Project(String slug, String name, String description, Long createdBy, Instant createdAt) {
        this.slug = slug;
        this.name = name;
        this.description = description;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    Long getId() { return id; }
    String getSlug() { return slug; }
    String getName() { return name; }
    void setName(String name) { this.name = name; }
    String getDescription() { return description; }
    Instant getCreatedAt() { return createdAt; }
}
