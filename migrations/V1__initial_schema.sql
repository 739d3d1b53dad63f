-- Stepwise schema: accounts, projects, access, runs, metrics, artifacts, audit.

create table users (
    id            bigint generated always as identity primary key,
    username      varchar(64)  not null,
    display_name  varchar(200),
    password_hash varchar(200) not null,
    admin         boolean      not null default false,
    created_at    timestamptz  not null default now(),
    constraint users_username_key unique (username)
);

create table projects (
    id          bigint generated always as identity primary key,
    slug        varchar(63)  not null,
    name        varchar(200) not null,
    description text,
    created_by  bigint references users (id) on delete set null,
    created_at  timestamptz  not null default now(),
    constraint projects_slug_key unique (slug)
);

create table project_members (
    project_id bigint      not null references projects (id) on delete cascade,
    user_id    bigint      not null references users (id) on delete cascade,
    role       varchar(16) not null check (role in ('OWNER', 'WRITER', 'READER')),
    created_at timestamptz not null default now(),
    primary key (project_id, user_id)
);
create index project_members_user_idx on project_members (user_id);

-- Only the SHA-256 of a key is stored; the key itself is shown once at creation.
create table api_keys (
    id           uuid primary key,
    project_id   bigint       not null references projects (id) on delete cascade,
    name         varchar(200) not null,
    scope        varchar(8)   not null check (scope in ('read', 'write')),
    prefix       varchar(32)  not null,
    key_hash     varchar(64)  not null,
    created_by   bigint references users (id) on delete set null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    constraint api_keys_key_hash_key unique (key_hash)
);
create index api_keys_project_idx on api_keys (project_id);

create table runs (
    id           uuid primary key,
    project_id   bigint       not null references projects (id) on delete cascade,
    name         varchar(250),
    run_group    varchar(250),
    notes        text,
    status       varchar(16)  not null check (status in ('RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'CRASHED')),
    created_at   timestamptz  not null default now(),
    started_at   timestamptz,
    ended_at     timestamptz,
    heartbeat_at timestamptz,
    -- last heartbeat or upload; drives crash detection
    active_at    timestamptz  not null default now(),
    created_by   varchar(100),
    version      bigint       not null default 0
);
create index runs_project_created_idx on runs (project_id, created_at desc, id desc);
create index runs_project_status_idx on runs (project_id, status);
create index runs_running_active_idx on runs (active_at) where status = 'RUNNING';

-- One row per config entry; values keep their JSON type so numbers compare numerically.
create table run_config (
    run_id uuid         not null references runs (id) on delete cascade,
    key    varchar(250) not null,
    value  jsonb        not null,
    primary key (run_id, key)
);

create table run_tags (
    run_id uuid         not null references runs (id) on delete cascade,
    tag    varchar(100) not null,
    primary key (run_id, tag)
);
create index run_tags_tag_idx on run_tags (tag, run_id);

-- One row per (run, metric key): identity of the series plus its running summary,
-- maintained in the same transaction as every ingest.
create table metric_series (
    id          bigint generated always as identity primary key,
    run_id      uuid             not null references runs (id) on delete cascade,
    key         varchar(250)     not null,
    n           bigint           not null default 0,
    finite_n    bigint           not null default 0,
    non_finite  bigint           not null default 0,
    mean        double precision,
    m2          double precision,
    min_value   double precision,
    max_value   double precision,
    last_value  double precision,
    last_step   bigint,
    last_seq    bigint,
    first_step  bigint,
    next_seq    bigint           not null default 0,
    constraint metric_series_run_key_key unique (run_id, key)
);

-- The high-volume table: narrow, append-only rows written with COPY and read by
-- (series, step). seq orders points of one series in upload order.
create table metric_points (
    series_id bigint           not null,
    step      bigint           not null,
    seq       bigint           not null,
    epoch     integer,
    time_ms   bigint           not null,
    value     double precision not null
);
create index metric_points_series_step_idx on metric_points (series_id, step, seq);

-- Per-block aggregates at a few resolutions, maintained at ingest, so a downsampled
-- envelope over a long series reads blocks instead of raw points.
create table metric_rollups (
    series_id  bigint           not null,
    level      smallint         not null,
    block      bigint           not null,
    n          bigint           not null,
    min_value  double precision,
    max_value  double precision,
    last_step  bigint           not null,
    last_seq   bigint           not null,
    last_value double precision not null,
    primary key (series_id, level, block)
);

-- Per-epoch aggregates maintained at ingest (medians are computed from raw points).
create table metric_epochs (
    series_id  bigint           not null,
    epoch      integer          not null,
    n          bigint           not null,
    finite_n   bigint           not null,
    sum_value  double precision not null,
    max_value  double precision,
    min_value  double precision,
    last_step  bigint           not null,
    last_seq   bigint           not null,
    last_value double precision not null,
    primary key (series_id, epoch)
);

-- Exactly-once ingest: a batch id is recorded in the same transaction as its rows.
create table ingest_batches (
    run_id     uuid        not null references runs (id) on delete cascade,
    batch_id   varchar(64) not null,
    accepted   integer     not null,
    created_at timestamptz not null default now(),
    primary key (run_id, batch_id)
);

create table artifacts (
    id          uuid primary key,
    run_id      uuid          not null references runs (id) on delete cascade,
    name        varchar(250)  not null,
    uri         varchar(4096) not null,
    kind        varchar(64)   not null default 'file',
    description text,
    size_bytes  bigint,
    sha256      varchar(64),
    created_at  timestamptz   not null default now()
);
create index artifacts_run_idx on artifacts (run_id, created_at);

-- Per-project overrides of the default epoch reduction for keys matching a pattern.
create table epoch_reduction_rules (
    id          bigint generated always as identity primary key,
    project_id  bigint       not null references projects (id) on delete cascade,
    key_pattern varchar(250) not null,
    reduction   varchar(16)  not null check (reduction in ('mean', 'last', 'median', 'max', 'min', 'sum')),
    created_at  timestamptz  not null default now(),
    constraint epoch_reduction_rules_pattern_key unique (project_id, key_pattern)
);

create table audit_events (
    id         bigint generated always as identity primary key,
    created_at timestamptz  not null default now(),
    type       varchar(40)  not null,
    actor      varchar(100),
    project_id bigint,
    subject    varchar(250),
    remote_ip  varchar(64),
    details    jsonb
);
create index audit_events_type_subject_idx on audit_events (type, subject, created_at);
create index audit_events_project_idx on audit_events (project_id, created_at);
