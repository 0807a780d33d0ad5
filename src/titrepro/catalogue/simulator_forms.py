"""The form of the page "Simuler mon parcours": what a candidate holds, turned into a standing request.

The form is built for one title: one checkbox and one date per CCP of each of
its versions (the rows come from the catalogue, so their number is fixed for a
title). ``payload()`` writes the JSON request of ``catalogue.standing.answer``
and remembers which form field each part of it came from, so that the
service's errors (``holdings[0].obtained_on``...) are shown next to the field
the person filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titrepro.core.forms import DsfrForm
from titrepro.core.forms import date_field as core_date_field

ROUTE_UNKNOWN = "unknown"
ROUTE_CHOICES = [
    ("training", gettext_lazy("Continuing training (parcours continu)")),
    ("apprenticeship", gettext_lazy("Apprenticeship")),
    ("vae", gettext_lazy("Validation of prior experience (VAE)")),
    ("accumulation", gettext_lazy("Discontinuous route, one CCP at a time (capitalisation)")),
    (ROUTE_UNKNOWN, gettext_lazy("I don't know")),
]
OUTCOME_CHOICES = [
    ("", gettext_lazy("No failure nor absence")),
    ("failure", gettext_lazy("I failed a title session")),
    ("absence", gettext_lazy("I was absent from a title session")),
]


def date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    """The simulator's dates are optional unless said otherwise."""
    return core_date_field(label, required=required, help_text=help_text)


@dataclass
class CcpRow:
    """One CCP of one version: a checkbox "I hold it" and its date."""

    version: str
    number: int
    label: str
    held_name: str
    on_name: str


@dataclass
class VersionRows:
    label: str
    valid_from: date | None
    valid_until: date | None
    slug: str
    ccps: list[CcpRow] = field(default_factory=list)


@dataclass
class CatalogueTitle:
    """What the form needs of a title: its code, label and the CCPs of each version."""

    code: str
    label: str
    versions: list[VersionRows]


def version_rows(versions: list[Any]) -> list[VersionRows]:
    """Rows for the versions (``TitleVersion`` with prefetched ``ccps``), in the catalogue's order."""
    rows = []
    for version in versions:
        slug = slugify(version.label) or str(version.pk)
        rows.append(
            VersionRows(
                label=version.label,
                valid_from=version.valid_from,
                valid_until=version.valid_until,
                slug=slug,
                ccps=[
                    CcpRow(
                        version=version.label,
                        number=ccp.number,
                        label=ccp.label,
                        held_name=f"v{slug}_ccp{ccp.number}",
                        on_name=f"v{slug}_ccp{ccp.number}_on",
                    )
                    for ccp in version.ccps.all()
                ],
            )
        )
    return rows


class SimulatorForm(DsfrForm):
    """Step 1 (title, date, route) and, once a title is chosen, step 2 (what the person holds)."""

    title = forms.ChoiceField(label=gettext_lazy("Professional title"))
    on = date_field(
        gettext_lazy("Date of the question"),
        required=True,
        help_text=gettext_lazy("The date at which you want to know where you stand; today by default."),
    )
    route = forms.ChoiceField(
        label=gettext_lazy("Your route to the title"),
        choices=ROUTE_CHOICES,
        required=False,
        initial=ROUTE_UNKNOWN,
        widget=forms.RadioSelect,
    )
    training_started_on = date_field(gettext_lazy("Start date of your training (optional)"))

    def __init__(self, *args: Any, titles: list[tuple[str, str]], chosen: CatalogueTitle | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen = chosen
        cast(forms.ChoiceField, self.fields["title"]).choices = [("", _("Choose a title")), *titles]
        self.fields["on"].initial = timezone.localdate()
        self.field_of: dict[str, str] = {}
        if chosen is not None:
            self._add_holdings(chosen)
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, forms.DateInput):
                widget.attrs["class"] = "fr-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "fr-select"

    def _add_holdings(self, chosen: CatalogueTitle) -> None:
        for version in chosen.versions:
            for row in version.ccps:
                self.fields[row.held_name] = forms.BooleanField(
                    label=_("I hold CCP %(number)s – %(label)s") % {"number": row.number, "label": row.label},
                    required=False,
                )
                self.fields[row.on_name] = date_field(
                    _("Obtained on (CCP %(number)s, version %(version)s)")
                    % {"number": row.number, "version": row.version}
                )
        self.fields["title_held"] = forms.BooleanField(label=_("I already hold this title"), required=False)
        self.fields["title_held_on"] = date_field(_("Title obtained on"))
        self.fields["outcome"] = forms.ChoiceField(label=_("What happened"), choices=OUTCOME_CHOICES, required=False)
        self.fields["outcome_on"] = date_field(_("Date of the title session"))
        self.fields["outcome_version"] = forms.ChoiceField(
            label=_("Version of the title at that session (optional)"),
            choices=[("", _("I don't know")), *((v.label, v.label) for v in chosen.versions)],
            required=False,
        )
        self.fields["vae_notified_on"] = date_field(_("Date of the notice of VAE admissibility (optional)"))

    # --- validation -----------------------------------------------------------------

    def _pair(self, data: dict[str, Any], held: str, on: str, missing_date: str) -> None:
        if data.get(held) and not data.get(on) and on not in self.errors:
            self.add_error(on, missing_date)
        elif data.get(on) and not data.get(held) and held not in self.errors:
            self.add_error(held, _("Tick this box if you hold it, or clear the date below."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.chosen is None:
            return data
        for version in self.chosen.versions:
            for row in version.ccps:
                self._pair(data, row.held_name, row.on_name, _("Give the date you obtained this CCP."))
        self._pair(data, "title_held", "title_held_on", _("Give the date you obtained the title."))
        if data.get("outcome") and not data.get("outcome_on") and "outcome_on" not in self.errors:
            self.add_error("outcome_on", _("Give the date of the session."))
        elif data.get("outcome_on") and not data.get("outcome") and "outcome" not in self.errors:
            self.add_error("outcome", _("Say whether you failed or were absent, or clear the date."))
        return data

    # --- the request of the standing service --------------------------------------------

    def payload(self) -> dict[str, Any]:
        """The JSON request of ``answer()``; fills ``field_of`` (request field → form field)."""
        assert self.chosen is not None  # noqa: S101 - only called once a title is chosen
        data = self.cleaned_data
        code = self.chosen.code
        self.field_of = {"title": "title", "on": "on", "route": "route", "training_started_on": "training_started_on"}
        out: dict[str, Any] = {"title": code, "on": data["on"].isoformat()}
        if data.get("route") and data["route"] != ROUTE_UNKNOWN:
            out["route"] = data["route"]
        if data.get("training_started_on"):
            out["training_started_on"] = data["training_started_on"].isoformat()
        holdings: list[dict[str, Any]] = []
        for version in self.chosen.versions:
            for row in version.ccps:
                if data.get(row.held_name) and data.get(row.on_name):
                    here = f"holdings[{len(holdings)}]"
                    self.field_of |= {here: row.held_name, f"{here}.obtained_on": row.on_name}
                    holdings.append(
                        {
                            "kind": "ccp",
                            "title": code,
                            "version": row.version,
                            "ccp": row.number,
                            "obtained_on": data[row.on_name].isoformat(),
                        }
                    )
        if data.get("title_held") and data.get("title_held_on"):
            here = f"holdings[{len(holdings)}]"
            self.field_of |= {here: "title_held", f"{here}.obtained_on": "title_held_on"}
            holdings.append({"kind": "title", "title": code, "obtained_on": data["title_held_on"].isoformat()})
        events: list[dict[str, Any]] = []
        if data.get("outcome") and data.get("outcome_on"):
            here = f"events[{len(events)}]"
            self.field_of |= {here: "outcome", f"{here}.on": "outcome_on", f"{here}.version": "outcome_version"}
            event = {
                "kind": data["outcome"],
                "session_kind": "title",
                "title": code,
                "on": data["outcome_on"].isoformat(),
            }
            if data.get("outcome_version"):
                event["version"] = data["outcome_version"]
            events.append(event)
        if data.get("vae_notified_on"):
            here = f"events[{len(events)}]"
            self.field_of |= {here: "vae_notified_on", f"{here}.notified_on": "vae_notified_on"}
            events.append(
                {"kind": "vae_admissibility", "title": code, "notified_on": data["vae_notified_on"].isoformat()}
            )
        if holdings:
            out["holdings"] = holdings
        if events:
            out["events"] = events
        return out

    def add_service_errors(self, errors: list[dict[str, str]]) -> None:
        """Show ``StandingInputError.errors`` next to the fields they are about (else at the top)."""
        for error in errors:
            name = error["field"]
            target = self.field_of.get(name)
            while target is None and "." in name:
                name = name.rsplit(".", 1)[0]
                target = self.field_of.get(name)
            self.add_error(target if target in self.fields else None, error["message"])

    def version_groups(self) -> list[dict[str, Any]]:
        """Step 2 for the template: each version with, for each CCP, its checkbox and its date field."""
        if self.chosen is None:
            return []
        return [
            {
                "version": version,
                "rows": [{"ccp": row, "held": self[row.held_name], "on": self[row.on_name]} for row in version.ccps],
            }
            for version in self.chosen.versions
        ]
