"""On PostgreSQL, leave room in the pages of the rows the pipeline updates on every batch.

Rollups (count, sum, min, max, last) and a sensor's last value change with each batch but none of those columns
is indexed, so with free space in the page PostgreSQL updates them in place (HOT) without touching any index.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE supervision_rollup SET (fillfactor = 70);
ALTER TABLE supervision_sensor SET (fillfactor = 80);
"""
BACKWARD = """
ALTER TABLE supervision_rollup RESET (fillfactor);
ALTER TABLE supervision_sensor RESET (fillfactor);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ingest", "0001_partition_readings")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False)]
