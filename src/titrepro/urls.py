from django.contrib import admin
from django.urls import include, path

from titrepro.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("compte/", include("titrepro.accounts.urls")),
    path("espace/", include("titrepro.directory.urls")),
    path("espace/", include("titrepro.candidates.urls_spaces")),
    path("", include("titrepro.catalogue.urls")),
]
