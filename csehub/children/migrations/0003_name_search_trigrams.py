"""Trigram indexes for the child search on PostgreSQL (a name anywhere in a name or alias).

The search asks UPPER(column) LIKE UPPER('%word%'), which no b-tree index serves: without these,
each search reads every child of the partnership. SQLite has no trigram index and keeps its
full scan, which is fast enough at the sizes SQLite is meant for.
"""

from django.db import migrations

COLUMNS = [
    ("children_child", "given_name"),
    ("children_child", "family_name"),
    ("children_child", "known_as"),
    ("children_childalias", "name"),
]


def _name(table, column):
    return f"{table}_{column}_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13 on): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_name(table, column)} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_name(table, column)}")


class Migration(migrations.Migration):
    dependencies = [("children", "0002_child_list_order")]

    operations = [migrations.RunPython(forwards, backwards)]
