-- MLflow-compatible API: what MLflow has and Stepwise's own model has not.
-- Experiment tags (an experiment is a project).
create table mlflow_experiment_tags (
    project_id bigint       not null references projects (id) on delete cascade,
    key        varchar(250) not null,
    value      text         not null,
    primary key (project_id, key)
);

-- MLflow deletes experiments and runs softly (restore brings them back); a row here means
-- "deleted" for the MLflow API only, the data stays.
create table mlflow_deleted_experiments (
    project_id bigint      primary key references projects (id) on delete cascade,
    deleted_at timestamptz not null default now()
);

create table mlflow_deleted_runs (
    run_id     uuid        primary key references runs (id) on delete cascade,
    deleted_at timestamptz not null default now()
);

-- MLflow tags whose "key=value" does not fit a Stepwise run tag (100 characters), such as long
-- mlflow.source.name paths; shorter tags are ordinary run tags.
create table mlflow_run_tags (
    run_id uuid         not null references runs (id) on delete cascade,
    key    varchar(250) not null,
    value  text         not null,
    primary key (run_id, key)
);
