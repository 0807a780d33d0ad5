from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    """Evaluation sheets, the jury's decisions, the minutes (PV) and their validation, appeals, fraud decisions."""

    name = "titrepro.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")

    def ready(self) -> None:
        from titrepro.deliberation.fraud import voided_on_annulment
        from titrepro.deliberation.workspace import register_all
        from titrepro.sessions.signals import session_annulled

        register_all()
        session_annulled.connect(voided_on_annulment, dispatch_uid="deliberation.voided_on_annulment")
