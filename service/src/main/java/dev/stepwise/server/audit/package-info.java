/**
 * The audit log: security-relevant events (logins and failed logins, users, projects, members,
 * API keys) recorded in {@code audit_events}, in the acting transaction or independently of it,
 * and the counts of recent failed logins that login throttling reads.
 */
package dev.stepwise.server.audit;
