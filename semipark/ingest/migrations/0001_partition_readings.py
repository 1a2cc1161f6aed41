"""On PostgreSQL, turn supervision_reading into a table partitioned by month on ts (key still (sensor_id, ts)).

Months are partitions named supervision_reading_pYYYYMM (UTC months); a DEFAULT partition catches anything
outside them so an insert never fails for want of a partition. ``semipark_ensure_reading_partitions(ahead)``
creates the partitions from ``back`` months ago to ``ahead`` months on, moving rows out of the DEFAULT partition
when needed; the ingest worker and ``semipark prune`` call it. The separate sensor_id index is not recreated: the key starts with
sensor_id. Other databases are left as they are.
"""

from django.db import migrations

from semipark.ingest.migration_sql import on_postgresql

FORWARD = """
CREATE TABLE supervision_reading_partitioned (
    ts timestamptz NOT NULL,
    value double precision NOT NULL,
    out_of_range boolean NOT NULL,
    sensor_id bigint NOT NULL,
    CONSTRAINT supervision_reading_partitioned_pkey PRIMARY KEY (sensor_id, ts)
) PARTITION BY RANGE (ts);
CREATE TABLE supervision_reading_default PARTITION OF supervision_reading_partitioned DEFAULT;
INSERT INTO supervision_reading_partitioned (ts, value, out_of_range, sensor_id)
    SELECT ts, value, out_of_range, sensor_id FROM supervision_reading;
DROP TABLE supervision_reading;
ALTER TABLE supervision_reading_partitioned RENAME TO supervision_reading;
ALTER TABLE supervision_reading RENAME CONSTRAINT supervision_reading_partitioned_pkey TO supervision_reading_pkey;

CREATE OR REPLACE FUNCTION semipark_reading_partition(month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    part text := 'supervision_reading_p' || to_char(month, 'YYYYMM');
    lo timestamptz := date_trunc('month', month)::timestamp AT TIME ZONE 'UTC';
    hi timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN part;
    END IF;
    -- Rows of this month waiting in the DEFAULT partition move into the new one.
    CREATE TEMP TABLE semipark_moving (LIKE supervision_reading) ON COMMIT DROP;
    WITH gone AS (DELETE FROM supervision_reading_default WHERE ts >= lo AND ts < hi RETURNING *)
        INSERT INTO semipark_moving SELECT * FROM gone;
    EXECUTE format('CREATE TABLE %I PARTITION OF supervision_reading FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    EXECUTE format('INSERT INTO %I SELECT * FROM semipark_moving', part);
    DROP TABLE semipark_moving;
    RETURN part;
END $$;

CREATE OR REPLACE FUNCTION semipark_ensure_reading_partitions(ahead integer, back integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC');
    last date := this_month + make_interval(months => ahead);
    month date := this_month - make_interval(months => back);
BEGIN
    WHILE month <= last LOOP
        PERFORM semipark_reading_partition(month);
        month := month + interval '1 month';
    END LOOP;
END $$;

SELECT semipark_ensure_reading_partitions(2, 0);
"""

BACKWARD = """
CREATE TABLE supervision_reading_plain (LIKE supervision_reading);
INSERT INTO supervision_reading_plain SELECT * FROM supervision_reading;
DROP TABLE supervision_reading;
DROP FUNCTION IF EXISTS semipark_ensure_reading_partitions(integer, integer);
DROP FUNCTION IF EXISTS semipark_reading_partition(date);
ALTER TABLE supervision_reading_plain RENAME TO supervision_reading;
ALTER TABLE supervision_reading ADD PRIMARY KEY (sensor_id, ts);
CREATE INDEX supervision_reading_sensor_id_9b997e5e ON supervision_reading (sensor_id);
"""



class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False)]
