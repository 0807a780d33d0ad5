from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "titrepro.core"
    label = "core"
    verbose_name = "titrepro"
