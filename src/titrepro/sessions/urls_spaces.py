"""The sessions pages under /espace/ (namespace ``sessions``): centre staff (``centre/...``), authority agents
(``dreets/...``), jury members (``jury/...``), candidates (``candidat/...``); one module per role."""

from django.urls import URLPattern, URLResolver

from titrepro.sessions.views import authority, candidate, centre, jury

app_name = "sessions"
urlpatterns: list[URLPattern | URLResolver] = [
    *centre.urlpatterns,
    *authority.urlpatterns,
    *jury.urlpatterns,
    *candidate.urlpatterns,
]
