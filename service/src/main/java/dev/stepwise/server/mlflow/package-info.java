/**
 * The MLflow-compatible tracking API ({@code /api/2.0/mlflow/...} and {@code /ajax-api/2.0/mlflow/...}):
 * a translation layer that speaks MLflow's REST protocol (service.proto) over the public services of
 * the other modules. It owns the mapping (experiment = project with the slug as id, params = write-once
 * config entries, tags = {@code key=value} run tags with the reserved {@code mlflow.*} tags mapped to
 * run name, notes and user, metrics = points), the {@code runs/search} filter language and its
 * translation to the run list query, MLflow's limits and {@code {error_code, message}} errors, and the
 * few things MLflow has and the native model has not (experiment tags, soft deletion) in its own tables.
 */
package dev.stepwise.server.mlflow;
