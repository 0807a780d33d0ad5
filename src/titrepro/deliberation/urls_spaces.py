"""The deliberation pages under /espace/ (namespace ``deliberation``): jury members (``jury/...``), centre staff
(``centre/...``), authority agents (``dreets/...``), candidates (``candidat/...``); one module per role."""

from django.urls import URLPattern, URLResolver

from titrepro.deliberation.views import authority, authority_appeals, candidate, centre, jury

app_name = "deliberation"
urlpatterns: list[URLPattern | URLResolver] = [
    *jury.urlpatterns,
    *centre.urlpatterns,
    *authority.urlpatterns,
    *authority_appeals.urlpatterns,
    *candidate.urlpatterns,
]
