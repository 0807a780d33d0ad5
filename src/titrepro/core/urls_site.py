"""The site's own public pages, linked from every page's footer (the DSFR's mandatory links)."""

from django.urls import URLPattern, path

from titrepro.core import views_site

app_name = "site"
urlpatterns: list[URLPattern] = [
    path("accessibilite/", views_site.accessibility, name="accessibility"),
    path("mentions-legales/", views_site.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views_site.personal_data, name="personal_data"),
    path("plan-du-site/", views_site.site_map, name="site_map"),
]
