from django.contrib import admin
from django.urls import include, path

from titrepro.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("simuler/", include("titrepro.candidates.urls")),
    path("", include("titrepro.catalogue.urls")),
]
