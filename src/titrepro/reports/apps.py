from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics, charts and exports: reads only (no tables, no services)."""

    name = "titrepro.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from titrepro.reports.workspace import register_all

        register_all()
