from django.db import migrations

# On PostgreSQL a trigger makes ballots and their choices immutable: no UPDATE, and no
# DELETE once the poll has left the draft (a draft poll has no ballots anyway). The service
# layer never changes a ballot; this guards against everything else (admin, shell, bugs).
FORWARD = """
CREATE OR REPLACE FUNCTION plenary_ballots_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ballots cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plenary_ballot_immutable BEFORE UPDATE OR DELETE ON plenary_ballot
    FOR EACH ROW EXECUTE FUNCTION plenary_ballots_immutable();
CREATE TRIGGER plenary_ballotchoice_immutable BEFORE UPDATE OR DELETE ON plenary_ballotchoice
    FOR EACH ROW EXECUTE FUNCTION plenary_ballots_immutable();
CREATE TRIGGER plenary_voterroll_immutable BEFORE UPDATE OR DELETE ON plenary_voterroll
    FOR EACH ROW EXECUTE FUNCTION plenary_ballots_immutable();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS plenary_ballot_immutable ON plenary_ballot;
DROP TRIGGER IF EXISTS plenary_ballotchoice_immutable ON plenary_ballotchoice;
DROP TRIGGER IF EXISTS plenary_voterroll_immutable ON plenary_voterroll;
DROP FUNCTION IF EXISTS plenary_ballots_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("plenary", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
