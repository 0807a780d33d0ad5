"""Staff must pass the second factor before any staff page, the admin or the API by session.

Goes after AuthenticationMiddleware. For a user who must pass it (``otp.is_required``)
and has not in this session:
- the Django admin login page sends to our login page (throttled, two-factor), and
  answers 403 to a logged-in user who is not admin staff (is_staff);
- pages under /espace/, /admin/ and /compte/ (except the login, logout, invitation
  and second-factor pages) redirect to the set-up page, or to the verification page
  when an authenticator is already confirmed;
- /api/ sees an anonymous user, so session auth answers 401 (a bearer token still works).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from titrepro.accounts import otp

PROTECTED_PREFIXES = ("/espace/", "/admin/", "/compte/")
OPEN_NAMES = ("login", "logout", "otp_setup", "otp_verify", "invitation_accept")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/admin/login/") and not request.user.is_authenticated:
            query = urlencode({"next": request.GET.get("next", "/admin/")})
            return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
        if path.startswith("/api/"):
            if self._blocked(request):
                request.user = AnonymousUser()
        elif path.startswith(PROTECTED_PREFIXES) and not self._open(path) and self._blocked(request):
            name = "accounts:otp_verify" if otp.confirmed_device(request.user) else "accounts:otp_setup"
            return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        if path.startswith("/admin/login/") and not request.user.is_staff:
            # Logged in, not admin staff: refuse (our login page would send back here, a loop).
            raise PermissionDenied
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return any(path.startswith(_prefix(name)) for name in OPEN_NAMES)

    @staticmethod
    def _blocked(request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and not otp.is_passed(request) and otp.is_required(user))


def _prefix(name: str) -> str:
    if name == "invitation_accept":
        return reverse("accounts:invitation_accept", kwargs={"token": "x"}).removesuffix("x/")
    return reverse(f"accounts:{name}")


SESSION_STARTED = "titrepro_session_started"
SESSION_SEEN = "titrepro_session_seen"
SESSION_ENDED = "titrepro_session_ended"


def now() -> float:
    return time.time()


class StaffSessionMiddleware:
    """A staff session (``otp.is_required``) ends after ``TITREPRO_STAFF_IDLE_SECONDS`` without a
    request (30 minutes) and after ``TITREPRO_STAFF_SESSION_MAX_SECONDS`` in all (12 hours), issue 11
    item 12. Pages send to the login page, which says why; the API by session then sees an anonymous
    user (401). Goes after AuthenticationMiddleware, before SecondFactorMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and otp.is_required(user):
            moment = now()
            started = request.session.setdefault(SESSION_STARTED, moment)
            seen = request.session.get(SESSION_SEEN, moment)
            idle = int(getattr(settings, "TITREPRO_STAFF_IDLE_SECONDS", 30 * 60))
            longest = int(getattr(settings, "TITREPRO_STAFF_SESSION_MAX_SECONDS", 12 * 3600))
            if moment - seen > idle or moment - started > longest:
                logout(request)
                request.session[SESSION_ENDED] = "idle" if moment - seen > idle else "max"
                if not request.path_info.startswith("/api/"):
                    query = urlencode({"next": request.get_full_path()})
                    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
            else:
                request.session[SESSION_SEEN] = moment
        return self.get_response(request)
