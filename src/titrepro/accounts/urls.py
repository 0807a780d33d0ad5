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
