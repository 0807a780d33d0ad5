from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "titrepro.catalogue"
    verbose_name = _("Catalogue of titles")

    def ready(self) -> None:
        from titrepro.catalogue.workspace import register_all

        register_all()
