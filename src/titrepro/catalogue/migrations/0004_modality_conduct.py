# Whether the jury is in the room and whether the candidate sits at a workstation, on every
# modality and part of a modality. Existing rows get their kind's default (catalogue.conduct)
# and every part its modality's; reloading the catalogue then writes what the files say.

from django.db import migrations, models

from titrepro.catalogue.conduct import DEFAULT_CONDUCT


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A modality takes its kind's default conduct; each of its parts copies it."""
    EvaluationModality = apps.get_model("catalogue", "EvaluationModality")
    ModalityPart = apps.get_model("catalogue", "ModalityPart")
    for kind, conduct in DEFAULT_CONDUCT.items():
        values = {"jury_present": conduct.jury_present, "uses_workstation": conduct.uses_workstation}
        EvaluationModality.objects.filter(kind=kind).update(**values)
        ModalityPart.objects.filter(modality__kind=kind).update(**values)


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_title_search_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluationmodality',
            name='jury_present',
            field=models.BooleanField(default=False, verbose_name='jury present'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='evaluationmodality',
            name='uses_workstation',
            field=models.BooleanField(default=False, verbose_name='uses a workstation'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='modalitypart',
            name='jury_present',
            field=models.BooleanField(default=False, verbose_name='jury present'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='modalitypart',
            name='uses_workstation',
            field=models.BooleanField(default=False, verbose_name='uses a workstation'),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
