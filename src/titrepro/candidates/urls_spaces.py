"""The role spaces under /espace/: centre staff, candidate, authority agent."""

from django.urls import URLPattern, URLResolver, path

from titrepro.candidates import views_spaces as views

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = [
    path("centre/candidats/", views.centre_candidate_list, name="centre_candidate_list"),
    path("centre/candidats/nouveau/", views.centre_candidate_new, name="centre_candidate_new"),
    path("centre/candidats/<int:pk>/", views.centre_candidate_detail, name="centre_candidate_detail"),
    path("centre/candidats/<int:pk>/ecf/nouveau/", views.centre_assessment_add, name="centre_assessment_add"),
    path("centre/candidats/<int:pk>/vae/nouveau/", views.centre_vae_file, name="centre_vae_file"),
    path(
        "centre/candidats/<int:pk>/amenagement/nouveau/",
        views.centre_accommodation_request,
        name="centre_accommodation_request",
    ),
    path("centre/candidats/importer/", views.centre_import, name="centre_import"),
    path("centre/candidats/exporter/", views.centre_export, name="centre_export"),
    path("candidat/", views.candidate_home, name="candidate_home"),
    path("candidat/dossier-professionnel/", views.candidate_portfolio, name="candidate_portfolio"),
    path("dreets/vae/", views.authority_vae_list, name="authority_vae_list"),
    path("dreets/vae/<int:pk>/decision/", views.authority_vae_decide, name="authority_vae_decide"),
    path("dreets/amenagements/", views.authority_accommodation_list, name="authority_accommodation_list"),
    path(
        "dreets/amenagements/<int:pk>/decision/",
        views.authority_accommodation_decide,
        name="authority_accommodation_decide",
    ),
]
