-- metric_points becomes a table partitioned by hash of series_id (16 partitions).
--
-- Why hash by series and not range by time: every read and write of points names one series
-- (`where series_id = ?`), so each one touches exactly one partition, whose index is a sixteenth
-- of the size; retention is per project and per run ("runs ended longer ago than N days"), which
-- a time range cannot express (one run's points span any time range, and projects share ranges),
-- so dropping whole time partitions would never match what retention removes. Deleted points
-- leave dead tuples in one partition, which autovacuum reclaims there (settings below) without
-- scanning the others.
--
-- The conversion runs in place in the migration's transaction: existing points are moved into
-- the partitioned table and the old table is dropped.

alter table metric_points rename to metric_points_unpartitioned;
alter index metric_points_series_step_idx rename to metric_points_unpartitioned_series_step_idx;

create table metric_points (
    series_id bigint           not null,
    step      bigint           not null,
    seq       bigint           not null,
    epoch     integer,
    time_ms   bigint           not null,
    value     double precision not null
) partition by hash (series_id);

do $$
begin
    for i in 0..15 loop
        execute format('create table metric_points_p%s partition of metric_points '
                       'for values with (modulus 16, remainder %s)', lpad(i::text, 2, '0'), i);
        -- Hot, append-mostly tables: vacuum and analyze after 2 % / 1 % of a partition changed
        -- (the defaults, 20 % / 10 %, let a 100M-row table collect 20M dead rows first).
        execute format('alter table metric_points_p%s set (autovacuum_vacuum_scale_factor = 0.02, '
                       'autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.05)',
                       lpad(i::text, 2, '0'));
    end loop;
end
$$;

create index metric_points_series_step_idx on metric_points (series_id, step, seq);

insert into metric_points (series_id, step, seq, epoch, time_ms, value)
select series_id, step, seq, epoch, time_ms, value from metric_points_unpartitioned;

drop table metric_points_unpartitioned;

alter table metric_rollups set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
alter table metric_epochs set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
