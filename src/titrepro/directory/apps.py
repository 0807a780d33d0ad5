from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "titrepro.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from titrepro.directory.workspace import register_all

        register_all()
