"""The reports pages under /espace/ (namespace ``reports``): centre staff (``centre/...``), authority agents
(``dreets/...``)."""

from django.urls import URLPattern, URLResolver

from titrepro.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [*views.urlpatterns]
