"""The database cache's table (the login throttle's counters in production) is created by
``migrate`` itself: a forgotten ``createcachetable`` no longer gives a 500 on the login page
(issue 9, item 9). Idempotent; nothing to do when the cache is not the database's."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_recovery_codes")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True)]
