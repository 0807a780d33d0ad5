from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    """Evaluation sheets, the jury's decisions, the minutes (PV) and their validation, appeals, fraud decisions."""

    name = "titrepro.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
