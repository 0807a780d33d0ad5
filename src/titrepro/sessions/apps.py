from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Exam sessions. The label is ``exam_sessions``: ``sessions`` is Django's own session app."""

    name = "titrepro.sessions"
    label = "exam_sessions"
    verbose_name = _("Exam sessions")

    def ready(self) -> None:
        from titrepro.sessions.workspace import register_all

        register_all()
