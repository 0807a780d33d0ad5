"""The role spaces under /espace/: centre staff (``centre/``), candidate (``candidat/``), and the
authority agent's decisions on candidates' requests (``dreets/``, the shared pages of ``core.decisions``)."""

from django.urls import URLPattern, URLResolver, path

from titrepro.candidates.decisions import ACCOMMODATION_DECISION, VAE_DECISION
from titrepro.candidates.views import authority, candidate, centre
from titrepro.core.decisions import decision_list, decision_page

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = [
    path("centre/candidats/", centre.centre_candidate_list, name="centre_candidate_list"),
    path("centre/candidats/nouveau/", centre.centre_candidate_new, name="centre_candidate_new"),
    path("centre/candidats/<int:pk>/", centre.centre_candidate_detail, name="centre_candidate_detail"),
    path("centre/candidats/<int:pk>/modifier/", centre.centre_candidate_edit, name="centre_candidate_edit"),
    path("centre/candidats/<int:pk>/parcours/nouveau/", centre.centre_pathway_add, name="centre_pathway_add"),
    path(
        "centre/candidats/<int:pk>/parcours/<int:pathway_pk>/fin/", centre.centre_pathway_end, name="centre_pathway_end"
    ),
    path(
        "centre/candidats/<int:pk>/dossier-professionnel/<int:portfolio_pk>/",
        centre.centre_portfolio_file,
        name="centre_portfolio_file",
    ),
    path("centre/candidats/<int:pk>/ecf/nouveau/", centre.centre_assessment_add, name="centre_assessment_add"),
    path("centre/candidats/<int:pk>/vae/nouveau/", centre.centre_vae_file, name="centre_vae_file"),
    path(
        "centre/candidats/<int:pk>/amenagement/nouveau/",
        centre.centre_accommodation_request,
        name="centre_accommodation_request",
    ),
    path("centre/candidats/importer/", centre.centre_import, name="centre_import"),
    path("centre/candidats/importer/<uuid:pk>/", centre.centre_import_job, name="centre_import_job"),
    path("centre/candidats/exporter/", centre.centre_export, name="centre_export"),
    path("candidat/", candidate.candidate_home, name="candidate_home"),
    path("candidat/dossier-professionnel/", candidate.candidate_portfolio, name="candidate_portfolio"),
    path(
        "candidat/dossier-professionnel/<int:pk>/", candidate.candidate_portfolio_file, name="candidate_portfolio_file"
    ),
    path("dreets/candidats/<int:pk>/", authority.authority_candidate_detail, name="authority_candidate_detail"),
    path(
        "dreets/candidats/<int:pk>/dossier-professionnel/<int:portfolio_pk>/",
        authority.authority_portfolio_file,
        name="authority_portfolio_file",
    ),
    path("dreets/vae/", decision_list, {"kind": VAE_DECISION}, name="authority_vae_list"),
    path("dreets/vae/<int:pk>/decision/", decision_page, {"kind": VAE_DECISION}, name="authority_vae_decide"),
    path(
        "dreets/amenagements/",
        decision_list,
        {"kind": ACCOMMODATION_DECISION},
        name="authority_accommodation_list",
    ),
    path(
        "dreets/amenagements/<int:pk>/decision/",
        decision_page,
        {"kind": ACCOMMODATION_DECISION},
        name="authority_accommodation_decide",
    ),
]
