"""For this app's migrations: SQL that runs on PostgreSQL only (other databases keep Django's plain tables)."""


def on_postgresql(sql: str):
    """A RunPython function executing ``sql`` (may hold % signs and several statements) on PostgreSQL only."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run
