"""The public page "Simuler mon parcours": a candidate's standing for a title, in plain French.

The form is sent with GET, not POST: a simulation stores nothing and changes
nothing (no CSRF to protect), the result's address can be bookmarked, shared
with an adviser and reloaded, and the page works without JavaScript. No name
nor any identifier is asked, only a title, a route and dates.

Thin view: the catalogue is read here for the words (labels of titles, CCPs,
CCS), the standing comes from ``catalogue.standing.answer`` like the API's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from titrepro.catalogue.models import CCP, CCS, Title, TitleVersion
from titrepro.catalogue.simulator_forms import CatalogueTitle, SimulatorForm, version_rows
from titrepro.catalogue.standing import StandingInputError, answer
from titrepro.core.templatetags.french_dates import french_date

SIMULATE = "simulate"


def _day(value: str | date | None) -> str:
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return french_date(day)


def _catalogue_title(code: str) -> CatalogueTitle | None:
    title = (
        Title.objects.filter(code=code)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=TitleVersion.objects.prefetch_related(Prefetch("ccps", CCP.objects.order_by("number"))),
            )
        )
        .first()
    )
    if title is None:
        return None
    return CatalogueTitle(code=title.code, label=title.label, versions=version_rows(list(title.versions.all())))


def _steps(steps: list[str], missing: list[str]) -> list[str]:
    words = {
        "title_session": _("register for a title session (it assesses the whole title)"),
        "ccp_session": _("register for a CCP session for the missing CCPs: %(ccps)s") % {"ccps": ", ".join(missing)}
        if missing
        else _("register for a CCP session"),
        "final_interview": _("have the final interview with the jury: you hold every CCP"),
        "equivalence_request": _("ask the DREETS to award the title by equivalence"),
        "ccs_session": _("register for a CCS session"),
    }
    return [words.get(step, step) for step in steps]


def _describe(result: dict[str, Any], chosen: CatalogueTitle, form: SimulatorForm) -> dict[str, Any]:
    """The standing as sentences for the template."""
    labels = {(v.label, row.number): row.label for v in chosen.versions for row in v.ccps}
    data = form.cleaned_data
    obtained = {
        (row.version, row.number): data.get(row.on_name)
        for v in chosen.versions
        for row in v.ccps
        if data.get(row.held_name)
    }

    def ccp_name(version: str, number: int) -> str:
        label = labels.get((version, number))
        return f"CCP {number} – {label}" if label else f"CCP {number}"

    options = []
    for option in result["options"]:
        version = option["version"]
        held = []
        for number in option["held"]:
            ways = []
            mapped: dict[str, list[str]] = {}
            for through in option["held_through"].get(str(number), []):
                if through["kind"] == "equivalence":
                    ways.append(_("by equivalence with %(rncp)s") % {"rncp": through["rncp"]})
                elif through.get("mapped"):
                    mapped.setdefault(through["version"], []).append(str(through["ccp"]))
                elif (day := obtained.get((version, number))) is not None:
                    ways.append(_("obtained on %(on)s") % {"on": _day(day)})
            ways.extend(
                _("by correspondence from version %(version)s: CCP %(numbers)s")
                % {"version": origin, "numbers": ", ".join(numbers)}
                for origin, numbers in mapped.items()
            )
            name = ccp_name(version, number)
            held.append(
                _("You hold %(ccp)s (%(ways)s).") % {"ccp": name, "ways": "; ".join(ways)}
                if ways
                else _("You hold %(ccp)s.") % {"ccp": name}
            )
        missing = [_("You still need %(ccp)s.") % {"ccp": ccp_name(version, n)} for n in option["missing"]]
        deadline = option["deadline"]
        if deadline is None:
            until = _("This version has no end date yet.")
        elif option["extended"]:
            until = _(
                "You have until %(on)s to complete this title (one-year extension after the end of validity)."
            ) % {"on": _day(deadline)}
        else:
            until = _("You have until %(on)s to complete this title (end of validity of the version).") % {
                "on": _day(deadline)
            }
        options.append(
            {
                "version": version,
                "held": held,
                "missing": missing,
                "until": until,
                "opens_on": _day(option.get("opens_on")),
                "steps": _steps(option["next_steps"], [f"CCP {n}" for n in option["missing"]]),
                "reasons": [r["message"] for r in option.get("reasons", [])],
            }
        )
    ccs_labels = dict(CCS.objects.filter(version__title__code=chosen.code).values_list("code", "label"))
    ccs_sessions = [
        f"{code} – {ccs_labels[code]}" if code in ccs_labels else code for code in result.get("ccs_sessions", [])
    ]

    if result["holds_title"]:
        summary = _("You hold the title %(label)s: a title never expires.") % {"label": chosen.label}
    elif options:
        summary = ngettext(
            "You can still complete %(count)s version of this title.",
            "You can still complete %(count)s versions of this title.",
            len(options),
        ) % {"count": len(options)}
    else:
        summary = _("No version of this title can be completed at this date.")

    resit = None
    if resit_data := result.get("resit"):
        if resit_data["open"]:
            resit = ngettext(
                "After your failure or absence, you may sit a title session again without new training "
                "until %(on)s (%(count)s session left).",
                "After your failure or absence, you may sit a title session again without new training "
                "until %(on)s (%(count)s sessions left).",
                resit_data["sessions_left"],
            ) % {"on": _day(resit_data["allowed_until"]), "count": resit_data["sessions_left"]}
        else:
            resit = _("The year to sit again after your failure or absence ended on %(on)s.") % {
                "on": _day(resit_data["allowed_until"])
            }
    vae = None
    if vae_data := result.get("vae_admissibility"):
        if vae_data.get("refused"):
            vae = _("Your VAE admissibility was refused.")
        elif vae_data["valid"]:
            vae = _("Your VAE admissibility is valid until %(on)s.") % {"on": _day(vae_data["valid_until"])}
        elif vae_data["valid_until"]:
            vae = _("Your VAE admissibility was valid until %(on)s.") % {"on": _day(vae_data["valid_until"])}
        elif vae_data.get("decision_due"):
            vae = _("The decision on your VAE admissibility is due by %(on)s.") % {"on": _day(vae_data["decision_due"])}
    return {
        "on": _day(result["on"]),
        "holds_title": result["holds_title"],
        "summary": summary,
        "options": options,
        "ccs_sessions": ccs_sessions,
        "resit": resit,
        "vae": vae,
        "reasons": [r["message"] for r in result.get("reasons", [])],
    }


STEP_1 = ("title", "on", "route", "training_started_on")


def simulator(request: HttpRequest) -> HttpResponse:
    titles = [
        (code, f"{code} – {label}") for code, label in Title.objects.order_by("code").values_list("code", "label")
    ]
    params = request.GET
    code = params.get("title", "")
    chosen = _catalogue_title(code) if code else None
    submitted = SIMULATE in params
    # A link (?title=TP-01351) opens the form unfilled; anything more is a filled form.
    bound = bool(params.keys() - {"title"})
    # Step 2 was shown for the title in ``shown``: when the person picked another
    # title, only step 1 is kept (the CCP rows of the old title mean nothing for the new one).
    same_title = chosen is not None and params.get("shown") == chosen.code
    data: Any = None
    if bound:
        data = params if same_title else {k: params[k] for k in STEP_1 if k in params}
    form = SimulatorForm(data, titles=titles, chosen=chosen, initial={"title": chosen.code if chosen else ""})
    result = None
    if bound and form.is_valid() and submitted and same_title and chosen is not None:
        try:
            standing = answer(form.payload())
        except StandingInputError as error:
            form.add_service_errors(error.errors)
        else:
            result = _describe(standing, chosen, form)
    errors = form.error_list()
    context = {
        "form": form,
        "chosen": chosen,
        "result": result,
        "errors": errors,
        "title_changed": submitted and chosen is not None and not same_title,
        "breadcrumb": {"root_dir": "/", "links": [], "current": _("Simulate my route")},
    }
    if request.headers.get("HX-Request") == "true" and submitted and same_title:
        if result is None:
            # Errors are shown next to their fields: load the whole page (same URL, no JavaScript needed).
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.get_full_path()
            return response
        # The result, and out of band the form and the error summary: nothing stale stays on the page.
        return render(request, "catalogue/includes/simulator_htmx.html", context)
    return render(request, "catalogue/simulator.html", context)
