"""/espace/: the dashboard of the role the person works as (the role pages are the other apps')."""

from django.urls import URLPattern, URLResolver, path

from titrepro.accounts import views_workspace

app_name = "workspace"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_workspace.dashboard, name="dashboard"),
    path("role/", views_workspace.switch, name="switch"),
]
