from django.contrib import admin
from django.urls import include, path

from titrepro.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("compte/", include("titrepro.accounts.urls")),
    path("espace/", include("titrepro.accounts.urls_spaces")),
    path("espace/", include("titrepro.directory.urls")),
    path("espace/", include("titrepro.candidates.urls_spaces")),
    path("espace/", include("titrepro.sessions.urls_spaces")),
    path("espace/", include("titrepro.deliberation.urls_spaces")),
    path("espace/", include("titrepro.credentials.views_spaces")),
    path("espace/", include("titrepro.reports.urls_spaces")),
    path("espace/", include("titrepro.catalogue.views_spaces")),
    path("", include("titrepro.credentials.urls")),  # the public verification of the documents and badges
    path("", include("titrepro.core.urls_site")),
    path("", include("titrepro.catalogue.urls")),
]

# Django's own error pages; under /api/ they answer JSON in the API's one error shape.
handler400 = "titrepro.core.api.bad_request"
handler403 = "titrepro.core.api.permission_denied"
handler404 = "titrepro.core.api.page_not_found"
handler500 = "titrepro.core.api.server_error"
