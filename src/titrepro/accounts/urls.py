from django.contrib.auth.views import LogoutView
from django.urls import URLPattern, URLResolver, path

from titrepro.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", views.password_change, name="password_change"),
    path("double-authentification/", views.otp_setup, name="otp_setup"),
    path("double-authentification/verification/", views.otp_verify, name="otp_verify"),
    path("jetons/", views.token_list, name="token_list"),
    path("jetons/nouveau/", views.token_create, name="token_create"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("inviter/", views.invite, name="invite"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
# Ways back into an account (views_recovery, issue 9 item 7).
from titrepro.accounts import views_recovery  # noqa: E402

urlpatterns += [
    path("mot-de-passe/oubli/", views_recovery.PasswordReset.as_view(), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views_recovery.PasswordResetDone.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views_recovery.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/nouveau/fait/", views_recovery.PasswordResetComplete.as_view(), name="password_reset_complete"),
    path("double-authentification/codes-de-secours/", views_recovery.recovery_codes, name="recovery_codes"),
    path("securite/<int:user_id>/reinitialiser/", views_recovery.device_reset, name="device_reset"),
]
