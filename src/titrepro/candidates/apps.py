from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "titrepro.candidates"
    verbose_name = _("Candidates")

    def ready(self) -> None:
        from titrepro.candidates.workspace import register_all

        register_all()
