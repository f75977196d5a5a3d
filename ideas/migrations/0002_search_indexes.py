"""PostgreSQL-only search indexes: GIN on the German full-text vector, trigram GIN on titles.

They are plain SQL run only on PostgreSQL, so the same migrations work on SQLite (where
search falls back to LIKE). The indexes are not part of the model state on purpose: Django
would otherwise try to create the trigram operator class on SQLite.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ideas_idea_search_gin ON ideas_idea USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS ideas_idea_title_trgm ON ideas_idea USING gin (title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS ideas_idea_title_trgm",
    "DROP INDEX IF EXISTS ideas_idea_search_gin",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
