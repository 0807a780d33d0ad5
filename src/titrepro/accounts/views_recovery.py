"""Pages of the ways back into an account (issue 9, item 7): password reset by e-mail (Django's
views, throttled like the login, the same answer for any address), recovery codes of the second
factor, and the reset of a lost authenticator by an authority. Thin over ``recovery``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from titrepro.accounts import otp, recovery, throttle
from titrepro.core.forms import DsfrForm, error_list, reason_field
from titrepro.core.refusals import Refused


def _wait_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return _("Too many requests: try again in %(minutes)s minutes.") % {"minutes": minutes}


# Password reset ---------------------------------------------------------------------------------


class ResetRequestForm(DsfrForm, PasswordResetForm):
    """Django's form: it e-mails only active accounts with a usable password (never a disabled one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address of your account")


class NewPasswordForm(DsfrForm, SetPasswordForm):  # type: ignore[type-arg]
    pass


class PasswordReset(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["errors"] = error_list(context["form"])
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        # Every request counts, known address or not: the answer says nothing of the account.
        address = throttle.normalise(form.cleaned_data["email"])
        gate = throttle.Gate(f"password-reset:{address}", ip=throttle.client_ip(self.request))
        wait = gate.enter()
        if wait:
            form.add_error(None, _wait_message(wait))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        gate.failure()
        return super().form_valid(form)


class PasswordResetDone(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # A link sent before the account was disabled does not work after.
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["errors"] = error_list(form) if form is not None else []
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            recovery.reset_password(form.user, form.cleaned_data["new_password1"])
        except Refused as refusal:
            form.add_refusal(refusal)
            return self.form_invalid(form)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# Recovery codes ---------------------------------------------------------------------------------


def show_new_codes(request: HttpRequest, target: str) -> HttpResponse:
    """Make ten recovery codes and show them, once (after the set-up of an authenticator)."""
    codes = recovery.generate_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": target})


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many codes are left; new codes (the old ones stop working), shown once."""
    if otp.confirmed_device(request.user) is None:
        return redirect("accounts:otp_setup")
    if request.method == "POST":
        return show_new_codes(request, reverse("accounts:home"))
    return render(request, "accounts/recovery_codes_manage.html", {"remaining": recovery.remaining_codes(request.user)})


# The reset of a lost authenticator, by an authority ---------------------------------------------


class ResetForm(DsfrForm):
    reason = reason_field(help_text=_("For example: phone lost, identity checked by phone on 2 December."))


@login_required
def device_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    person = recovery.resettable_user(request.user, user_id)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.reset_device(request.user, user_id, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(
                request,
                _("The authenticator of %(person)s is reset: they will set a new one up at their next login.")
                % {"person": person.get_full_name() or person.get_username()},
            )
            return redirect("accounts:home")
    context = {
        "person": person,
        "has_device": otp.confirmed_device(person) is not None,
        "remaining": recovery.remaining_codes(person),
        "form": form,
        "errors": error_list(form),
    }
    return render(request, "accounts/device_reset.html", context)
