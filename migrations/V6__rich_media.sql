-- Rich run data: content-addressed blobs per project, media items keyed run-first like metric
-- points, exactly-once media batches, artifact references that name a blob.

-- One row per blob a project holds. The same bytes in two projects are two rows (and two copies),
-- so nothing tells a project what another one stores. last_uploaded_at starts the grace period
-- during which an unreferenced blob is kept (a trainer uploads blobs before the items naming them).
create table blobs (
    project_id       bigint       not null references projects (id) on delete cascade,
    sha256           char(64)     not null,
    content_type     varchar(255) not null,
    size_bytes       bigint       not null,
    created_at       timestamptz  not null default now(),
    last_uploaded_at timestamptz  not null default now(),
    primary key (project_id, sha256)
);
create index blobs_last_uploaded_idx on blobs (last_uploaded_at);

-- Bytes of the PostgreSQL blob store, in chunks of at most 1 MiB, so reads and writes stream and a
-- Range request reads only the chunks it needs.
create table blob_chunks (
    project_id bigint   not null,
    sha256     char(64) not null,
    chunk_no   integer  not null,
    data       bytea    not null,
    primary key (project_id, sha256, chunk_no),
    foreign key (project_id, sha256) references blobs (project_id, sha256) on delete cascade
);

-- Per (run, key, type): counts and the step range, maintained in every ingest transaction.
create table media_keys (
    run_id     uuid         not null references runs (id) on delete cascade,
    key        varchar(250) not null,
    type       varchar(32)  not null,
    n          bigint       not null,
    first_step bigint       not null,
    last_step  bigint       not null,
    primary key (run_id, key, type)
);

-- One row per logged item. id grows in upload order, so (step, id) orders the items of a key.
-- A blob that an item names cannot be removed while the item exists.
create table media_items (
    id          bigint generated always as identity,
    run_id      uuid         not null,
    key         varchar(250) not null,
    step        bigint       not null,
    epoch       integer,
    time_ms     bigint       not null,
    type        varchar(32)  not null,
    caption     text,
    project_id  bigint       not null,
    blob_sha256 char(64),
    data        jsonb,
    primary key (run_id, key, step, id),
    foreign key (project_id, blob_sha256) references blobs (project_id, sha256)
);
create index media_items_blob_idx on media_items (project_id, blob_sha256) where blob_sha256 is not null;

-- Exactly-once media uploads: a batch id is recorded in the same transaction as its items.
create table media_batches (
    run_id     uuid        not null references runs (id) on delete cascade,
    batch_id   varchar(64) not null,
    accepted   integer     not null,
    created_at timestamptz not null default now(),
    primary key (run_id, batch_id)
);

-- An artifact reference may name a blob of its run's project: it is then downloadable.
alter table artifacts add column blob_project_id bigint;
alter table artifacts add column blob_sha256 char(64);
alter table artifacts add constraint artifacts_blob_fkey
    foreign key (blob_project_id, blob_sha256) references blobs (project_id, sha256);
create index artifacts_blob_idx on artifacts (blob_project_id, blob_sha256) where blob_sha256 is not null;
