"""Account pages: thin over ``services``, ``otp`` and ``throttle``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titrepro.accounts import otp, recovery, services, spaces, throttle, views_recovery
from titrepro.accounts.forms import CodeForm, InviteForm, LoginForm, SetPasswordForm, TokenForm
from titrepro.accounts.middleware import SESSION_ENDED
from titrepro.accounts.models import ApiToken, Role
from titrepro.core.forms import error_list
from titrepro.core.refusals import Refused


def _next(request: HttpRequest, default: str = "workspace:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def _wait_message(seconds: int) -> str:
    if seconds < 60:
        return _("Too many failed attempts: try again in %(seconds)s seconds.") % {"seconds": seconds}
    return _("Too many failed attempts: try again in %(minutes)s minutes.") % {"minutes": (seconds + 59) // 60}


def _to(name: str, target: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': target})}")


def _after_login(request: HttpRequest, target: str) -> HttpResponse:
    if otp.is_required(request.user) and not otp.is_passed(request):
        name = "accounts:otp_verify" if otp.confirmed_device(request.user) else "accounts:otp_setup"
        return _to(name, target)
    return HttpResponseRedirect(target)


def login_view(request: HttpRequest) -> HttpResponse:
    target = _next(request)
    if request.user.is_authenticated and request.method == "GET":
        return _after_login(request, target)
    ended = request.session.pop(SESSION_ENDED, None)
    if ended == "idle":
        messages.info(request, _("Your session has ended after 30 minutes without activity. Log in again."))
    elif ended:
        messages.info(request, _("Your session has ended after 12 hours. Log in again."))
    form = LoginForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        gate = throttle.Gate(username, ip=throttle.client_ip(request), device=throttle.device_of(request, username))
        wait = gate.enter()
        if not wait:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is not None:
                gate.success()
                login(request, user)
                response = _after_login(request, target)
                throttle.remember_device(response, request, username)
                return response
            gate.failure()
            form.add_error(None, _("Wrong e-mail address, username or password."))
    if wait:
        form.add_error(None, _wait_message(wait))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "errors": error_list(form), "next": target},
        status=429 if wait else 200,
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    target = _next(request)
    if otp.confirmed_device(request.user):
        if otp.is_passed(request):
            messages.info(request, _("Two-factor authentication is already set up."))
            return HttpResponseRedirect(target)
        return _to("accounts:otp_verify", target)
    device = otp.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify(device, form.cleaned_data["code"], confirm=True):
            otp.mark_passed(request)
            messages.success(request, _("Two-factor authentication is set up."))
            return views_recovery.show_new_codes(request, target)  # shown once (issue 9, item 7)
        form.add_error("code", _("This code is not right. Check your phone's time and type the latest code."))
    context = {
        "form": form,
        "errors": error_list(form),
        "next": target,
        "qr_svg": otp.qr_svg(device),
        "secret": device.secret,
        "required": otp.is_required(request.user),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    target = _next(request)
    device = otp.confirmed_device(request.user)
    if device is None:
        return _to("accounts:otp_setup", target)
    form = CodeForm(request.POST or None)
    # Limited per account, whatever the address: whoever is here already has the password.
    gate = throttle.Gate(f"otp:{request.user.pk}")
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = gate.enter()
        if not wait:
            code = form.cleaned_data["code"]
            if otp.verify(device, code) or recovery.use_code(request.user, code):  # or a recovery code
                gate.success()
                otp.mark_passed(request)
                return HttpResponseRedirect(target)
            gate.failure()
            form.add_error("code", _("This code is not right. Type the latest code shown by your application."))
    if wait:
        form.add_error(None, _wait_message(wait))
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "errors": error_list(form), "next": target},
        status=429 if wait else 200,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My account: roles, password, second factor, invitations, and the API tokens for the roles that use it."""
    user: Any = request.user
    roles = Role.objects.filter(user=user, pending=False).select_related(
        "authority", "centre", "jury_member", "candidate"
    )
    context = {
        "roles": roles,
        "may_invite": bool(services.invitable_kinds(request.user)),
        "may_use_the_api": spaces.may_use_the_api(user),
        "has_device": otp.confirmed_device(request.user) is not None,
    }
    return render(request, "accounts/home.html", context)


def _api_user(request: HttpRequest) -> Any:
    """API tokens are offered only to the roles whose work the API serves (``spaces.API_KINDS``)."""
    if not spaces.may_use_the_api(request.user):
        raise PermissionDenied(_("Your roles do not use the API."))
    return request.user


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = _api_user(request)
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": tokens.order_by("-created_at"), "token_form": TokenForm()},
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "fr-input"
    if request.method == "POST" and form.is_valid():
        update_session_auth_hash(request, form.save())
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form, "errors": error_list(form)})


@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    _api_user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token, key = services.create_token(request.user, data["name"], scope=data["scope"], days=data["days"])
        return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(request, "accounts/token_create.html", {"form": form, "errors": error_list(form)})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = services.revoke_token(request.user, pk)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:token_list")


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    if not services.invitable_kinds(request.user):
        raise PermissionDenied
    # From a record (a candidate's page): the role and the person come filled in.
    initial = {name: request.GET[name] for name in ("email", "kind", "candidate") if name in request.GET}
    form = InviteForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope_object = None
        if data["scope_field"]:
            scope_object = get_object_or_404(
                services.invitable_objects(request.user, data["kind"]), pk=data["scope_id"]
            )
        try:
            services.invite(
                request.user,
                email=data["email"],
                kind=data["kind"],
                scope_object=scope_object,
                base_url=request.build_absolute_uri("/"),
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not grant this role."))
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % {"email": data["email"]})
            return redirect("accounts:invite")
    return render(request, "accounts/invite.html", {"form": form, "errors": error_list(form)})


def _accept_role(request: HttpRequest, token: str, invitation: Any) -> HttpResponse:
    """A role offered to an existing account: its owner, logged in, accepts it (issue 11, item 1)."""
    if services.is_disabled(invitation.user):
        message = _("This account is disabled: an invitation does not re-activate it.")
        return render(request, "accounts/invitation_invalid.html", {"message": message}, status=410)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    if request.method == "POST":
        try:
            role = services.accept_role(request.user, token)
        except services.InvitationInvalid as error:
            return render(request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410)
        messages.success(request, _("You now have the role “%(role)s”.") % {"role": role})
        return redirect("workspace:dashboard")
    if invitation.user_id != request.user.pk:
        message = _("This invitation is for another account. Log out and log in as its owner.")
        return render(request, "accounts/invitation_invalid.html", {"message": message}, status=410)
    return render(request, "accounts/role_accept.html", {"invitation": invitation})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as error:
        return render(request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410)
    if invitation.user.is_active or invitation.user.has_usable_password():
        return _accept_role(request, token, invitation)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token, form.cleaned_data["password1"])
        except services.InvitationInvalid as error:
            return render(request, "accounts/invitation_invalid.html", {"message": str(error)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account is ready."))
        return _after_login(request, reverse("workspace:dashboard"))
    context = {"form": form, "errors": error_list(form), "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)
