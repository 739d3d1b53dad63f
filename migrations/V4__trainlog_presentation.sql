-- What a TrainLog file carries beyond run metadata and points, kept so that exporting an imported
-- run gives the file back: its title, a run id that is not a UUID, and per series its position
-- and colour (a series that never reported a value keeps its place too).
create table trainlog_runs (
    run_id        uuid primary key references runs (id) on delete cascade,
    title         varchar(1000),
    source_run_id varchar(1000)
);

create table trainlog_series (
    run_id   uuid         not null references runs (id) on delete cascade,
    key      varchar(250) not null,
    position integer      not null,
    color    varchar(64)  not null,
    primary key (run_id, key)
);
