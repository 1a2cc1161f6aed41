"""On PostgreSQL, leave room in the pages of the rows the pipeline updates on every batch.

Rollups (count, sum, min, max, last) and a sensor's last value change with each batch but none of those columns
is indexed, so with free space in the page PostgreSQL updates them in place (HOT) without touching any index.
"""

from django.db import migrations

from semipark.ingest.migration_sql import on_postgresql

FORWARD = """
ALTER TABLE supervision_rollup SET (fillfactor = 70);
ALTER TABLE supervision_sensor SET (fillfactor = 80);
"""
BACKWARD = """
ALTER TABLE supervision_rollup RESET (fillfactor);
ALTER TABLE supervision_sensor RESET (fillfactor);
"""



class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_partition_readings")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD), elidable=False)]
