from django.urls import path

from titrepro.directory import views

app_name = "directory"
urlpatterns = [
    # Authority agents (DREETS / DDETS) and national administrators.
    path("dreets/centres/", views.centre_list, name="centre_list"),
    path("dreets/centres/exporter/", views.centre_export, name="centre_export"),
    path("dreets/centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("dreets/centres/<int:pk>/agrements/nouveau/", views.approval_grant, name="approval_grant"),
    path("dreets/agrements/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("dreets/agrements/<int:pk>/suspendre/", views.approval_suspend, name="approval_suspend"),
    path("dreets/agrements/<int:pk>/retablir/", views.approval_reinstate, name="approval_reinstate"),
    path("dreets/agrements/<int:pk>/retirer/", views.approval_withdraw, name="approval_withdraw"),
    path("dreets/jury/", views.jury_member_list, name="jury_member_list"),
    path("dreets/jury/exporter/", views.jury_member_export, name="jury_member_export"),
    path("dreets/jury/<int:pk>/", views.jury_member_detail, name="jury_member_detail"),
    path("dreets/jury/<int:pk>/habiliter/", views.habilitation_grant, name="habilitation_grant"),
    path("dreets/habilitations/<int:pk>/fin/", views.habilitation_end, name="habilitation_end"),
    # Jury members: their own profile.
    path("jury/profil/", views.jury_profile, name="jury_profile"),
    path("jury/profil/experiences/nouvelle/", views.jury_experience_add, name="jury_experience_add"),
    path("jury/profil/liens/nouveau/", views.jury_link_add, name="jury_link_add"),
    path("jury/profil/liens/<int:pk>/supprimer/", views.jury_link_remove, name="jury_link_remove"),
]
