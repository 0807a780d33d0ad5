from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from titrepro.accounts.models import TOKEN_DAYS, RoleKind, TokenScope
from titrepro.accounts.services import invitable_kinds, invitable_objects, scope_field
from titrepro.core.forms import DsfrForm


class LoginForm(DsfrForm):
    username = forms.CharField(label=_("E-mail address or username"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "fr-input"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password", "class": "fr-input"})


class CodeForm(DsfrForm):
    code = forms.CharField(
        label=_("Six-digit code"),
        help_text=_("Shown by your authenticator application."),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "fr-input", "spellcheck": "false"}
        ),
    )


class SetPasswordForm(DsfrForm):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "fr-input"}),
        help_text=_("At least 12 characters, not too common, not only digits."),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "fr-input"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords are not the same."))
        elif one:
            try:
                password_validation.validate_password(one, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(DsfrForm):
    name = forms.CharField(
        label=_("Name of the token"),
        help_text=_("What it is for, e.g. “import from our training software”."),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )
    scope = forms.ChoiceField(
        label=_("What the token may do"),
        help_text=_("Give a program only what it needs: most only read."),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[
            (days, ngettext_lazy("%(days)s day", "%(days)s days", "days") % {"days": days}) for days in TOKEN_DAYS
        ],
        coerce=int,
        initial=90,
        widget=forms.Select(attrs={"class": "fr-select"}),
    )


class InviteForm(DsfrForm):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"class": "fr-input"}))
    kind = forms.ChoiceField(label=_("Role"), widget=forms.Select(attrs={"class": "fr-select"}))
    organisation = forms.ChoiceField(
        label=_("Organisation"),
        required=False,
        help_text=_("The authority, centre or jury member the role applies to (not for a national administrator)."),
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    candidate = forms.IntegerField(
        label=_("Candidate number"),
        required=False,
        min_value=1,
        help_text=_("Only for a candidate role: the number of the candidate's record."),
        widget=forms.NumberInput(attrs={"class": "fr-input"}),
    )

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        kinds = invitable_kinds(actor)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(k.value, k.label) for k in kinds]
        groups: list[tuple[Any, Any]] = [("", _("— none —"))]
        for kind in kinds:
            spec = scope_field(kind)
            if spec is None or kind == RoleKind.CANDIDATE:
                continue  # no organisation; a candidate is named by number (there are too many to list)
            options = [(f"{spec[0]}:{obj.pk}", str(obj)) for obj in invitable_objects(actor, kind)]
            if options:
                groups.append((spec[1]._meta.verbose_name, options))
        cast(forms.ChoiceField, self.fields["organisation"]).choices = groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if not kind:
            return data
        spec = scope_field(kind)
        if spec is None:
            data["scope_field"], data["scope_id"] = None, None
        elif kind == RoleKind.CANDIDATE:
            if not data.get("candidate"):
                self.add_error("candidate", _("Give the number of the candidate's record."))
            data["scope_field"], data["scope_id"] = "candidate", data.get("candidate")
        else:
            field, _sep, pk = (data.get("organisation") or "").partition(":")
            if field != spec[0] or not pk.isdigit():
                self.add_error("organisation", _("Choose an organisation that matches the role."))
            else:
                data["scope_field"], data["scope_id"] = field, int(pk)
        return data
