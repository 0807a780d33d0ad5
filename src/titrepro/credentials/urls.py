"""The public pages of the credentials app: the verification of a document (``views``) and what a verifier of
the digital badges reads (``views_badges``)."""

from django.urls import path

from titrepro.credentials import views, views_badges

app_name = "credentials"

urlpatterns = [
    path("verifier/", views.verify, name="verify"),
    path("verifier/fichier/", views.verify_file, name="verify_file"),
    path("verifier/certificats/", views.certificates, name="certificates"),
    path("verifier/certificats.pem", views.certificates_pem, name="certificates_pem"),
    path("verifier/badges/<str:code>/", views_badges.badge_verify, name="badge_verify"),
    path("verifier/<str:code>/", views.verify_code, name="verify_code"),
    path("badges/autorites/<str:departement>/did.json", views_badges.did_document, name="did_document"),
    path("badges/realisations/<str:code>/<str:label>/", views_badges.achievement_title, name="achievement_title"),
    path(
        "badges/realisations/<str:code>/<str:label>/ccp/<int:number>/",
        views_badges.achievement_ccp,
        name="achievement_ccp",
    ),
    path(
        "badges/realisations/<str:code>/<str:label>/ccs/<str:ccs>/",
        views_badges.achievement_ccs,
        name="achievement_ccs",
    ),
    path("badges/statuts/<str:departement>/<int:number>/", views_badges.status_list, name="status_list"),
]
