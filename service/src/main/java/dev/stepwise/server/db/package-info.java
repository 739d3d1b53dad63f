/**
 * Database wiring: starts an embedded PostgreSQL in the data directory when no external
 * {@code spring.datasource.url} is configured. PostgreSQL is the only store; Flyway owns the schema.
 */
package dev.stepwise.server.db;
