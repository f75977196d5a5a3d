from django.db import migrations

# Ballots stay immutable, with one exception: the reshuffle that rewrites a secret poll's
# ballots in random order (see services._reshuffle) sets `plenary.reshuffle` for its own
# transaction. This guards against accidents, not against a database administrator.
FORWARD = """
CREATE OR REPLACE FUNCTION plenary_ballots_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND TG_TABLE_NAME IN ('plenary_ballot', 'plenary_ballotchoice')
       AND current_setting('plenary.reshuffle', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ballots cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""
BACKWARD = """
CREATE OR REPLACE FUNCTION plenary_ballots_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ballots cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("plenary", "0002_ballots_are_immutable")]

    operations = [migrations.RunPython(forward, backward)]
