# Anchored checkpoints (docs/decisions/0022-anchored-audit-checkpoints.md): every entry's MAC, and the
# table that copies the checkpoint file's lines. The existing entries get their MAC with the key configured
# now (TITREPRO_AUDIT_KEY): run this migration with the production key in the environment.

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def backfill_macs(apps, schema_editor):
    """Each entry's MAC, HMAC-SHA256 of its hash (titrepro.audit.checkpoints.entry_mac, written out here
    so that this migration keeps its meaning whatever that module becomes)."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    key = str(settings.TITREPRO_AUDIT_KEY).encode("utf-8")
    after = 0
    while True:
        chunk = list(AuditEntry.objects.filter(pk__gt=after).order_by("pk")[:BATCH])
        if not chunk:
            return
        for entry in chunk:
            entry.mac = hmac.new(key, b"titrepro-audit-entry\n" + entry.hash.encode("utf-8"), hashlib.sha256).hexdigest()
        AuditEntry.objects.bulk_update(chunk, ["mac"])
        after = chunk[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='mac',
            field=models.CharField(default='', max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_macs, migrations.RunPython.noop, elidable=False),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('line', models.PositiveBigIntegerField(unique=True, verbose_name='line')),
                ('sequence', models.PositiveBigIntegerField(verbose_name='up to entry')),
                ('hash', models.CharField(max_length=64)),
                ('at', models.DateTimeField(verbose_name='when')),
                ('previous', models.CharField(max_length=64)),
                ('mac', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['line'],
            },
        ),
    ]
