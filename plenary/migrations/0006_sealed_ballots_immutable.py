from django.db import migrations

# Sealed ballots are immutable like ballots and the roll, with one exception: counting
# deletes a poll's sealed ballots (their hashes stay on the poll) and sets
# `plenary.counting` for its own transaction. Plaintext ballots are no longer rewritten
# (no reshuffle), so their exception goes. This guards against accidents, not against a
# database administrator.
FORWARD = """
CREATE OR REPLACE FUNCTION plenary_ballots_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND TG_TABLE_NAME = 'plenary_sealedballot'
       AND current_setting('plenary.counting', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ballots cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plenary_sealedballot_immutable BEFORE UPDATE OR DELETE ON plenary_sealedballot
    FOR EACH ROW EXECUTE FUNCTION plenary_ballots_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS plenary_sealedballot_immutable ON plenary_sealedballot;
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


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("plenary", "0005_sealed_ballots")]

    operations = [migrations.RunPython(forward, backward)]
