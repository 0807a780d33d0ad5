"""On PostgreSQL, one jury member cannot be busy (invited or accepted) on two sessions whose days overlap (R-31:
"a member cannot sit on two sessions that overlap"). An exclusion constraint over the member and the
closed date range; it needs btree_gist for the equality on the member. SQLite has no such constraint:
``sessions.services`` checks the same before every write (and on PostgreSQL the database is the last word).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE exam_sessions_juryassignment
  ADD CONSTRAINT jury_member_not_in_two_places
  EXCLUDE USING gist (member_id WITH =, daterange(first_day, last_day, '[]') WITH &&)
  WHERE (status IN ('proposed', 'accepted'));
"""
DROP = "ALTER TABLE exam_sessions_juryassignment DROP CONSTRAINT IF EXISTS jury_member_not_in_two_places;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("exam_sessions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
