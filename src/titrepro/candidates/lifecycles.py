"""The lifecycles of a VAE application (R-20 to R-22) and of an accommodation request (R-85, R-86).

    VAE:           (new) --file--> pending --accept--> admissible
                                   pending --refuse--> refused
                                   pending --accept_by_silence--> admissible   (the system, two months on)
    Accommodation: (new) --request--> requested --grant--> granted
                                      requested --refuse--> refused

The candidate or their centre files and requests; an agent of the authority of
the candidate's centre decides (``core.decisions``, kinds in
``candidates.decisions``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titrepro.accounts.permissions import ensure_in
from titrepro.candidates.models import (
    Accommodation,
    DecisionStatus,
    VaeApplication,
    VaeStatusChoice,
)
from titrepro.candidates.queries import (
    decidable_accommodations,
    decidable_vae_applications,
    represented_candidates,
    vae_status,
)
from titrepro.catalogue.reasons import reason_message
from titrepro.core import dating
from titrepro.core.lifecycle import NEW, Lifecycle, Move, system_only
from titrepro.core.refusals import Refused
from titrepro.rules import standing as rules

# Who acts -----------------------------------------------------------------------------------


def filer(user: Any, request: VaeApplication | Accommodation) -> None:
    """The candidate themselves, their centre's staff or the national administrator."""
    ensure_in(represented_candidates(user), request.candidate)


def vae_decider(user: Any, application: VaeApplication) -> None:
    """An agent of the authority of the candidate's centre (R-21)."""
    ensure_in(decidable_vae_applications(user), application)


def accommodation_decider(user: Any, accommodation: Accommodation) -> None:
    """An agent of the authority of the candidate's centre (R-86)."""
    ensure_in(decidable_accommodations(user), accommodation)


# Checks ---------------------------------------------------------------------------------------


def within_yearly_limits(user: Any, application: VaeApplication, on: date) -> Refused | None:
    """R-22: per calendar year, one application for a certification and three certifications at most,
    counted across every centre where the same person is a candidate."""
    previous = tuple(
        rules.VaeApplication(code, day)
        for code, day in VaeApplication.objects.filter(
            candidate__identity_key=application.candidate.identity_key
        ).values_list("title__code", "filed_on")
    )
    refusal = rules.vae_application_allowed(
        previous, rules.VaeApplication(application.title.code, application.filed_on)
    )
    return None if refusal is None else Refused(refusal.code, reason_message(refusal), "filed_on")


def not_before_the_file(user: Any, application: VaeApplication, on: date) -> Refused | None:
    if on < application.filed_on:
        return Refused(
            "decision_before_request", _("A decision cannot come before the file was received."), "decided_on"
        )
    return None


def not_accepted_by_silence(user: Any, application: VaeApplication, on: date) -> Refused | None:
    """R-21: no decision within two months of the complete file is an acceptance; it cannot be decided after.

    Counted to the day the decision is recorded, not to the date it bears: a decision dated
    within the two months but recorded after them comes too late (issue 11, item 2)."""
    status = vae_status(application, max(on, dating.today()))
    if status.tacit and status.decision_due and status.valid_until:
        return Refused(
            "vae_accepted_by_silence",
            _(
                "No decision within two months: the application was accepted by silence after %(due)s; "
                "the admissibility is valid until %(until)s."
            )
            % {"due": date_format(status.decision_due), "until": date_format(status.valid_until)},
        )
    return None


def accepted_by_silence(user: Any, application: VaeApplication, on: date) -> Refused | None:
    if not vae_status(application, on).tacit:
        return Refused("vae_decision_still_due", _("The authority still has time to decide."))
    return None


def not_before_the_request(user: Any, accommodation: Accommodation, on: date) -> Refused | None:
    if on < accommodation.requested_on:
        return Refused("decision_before_request", _("A decision cannot come before the request."), "decided_on")
    return None


def on_a_medical_opinion(user: Any, accommodation: Accommodation, on: date) -> Refused | None:
    """R-86: an accommodation is granted on a medical opinion."""
    if accommodation.medical_opinion_on is None:
        return Refused(
            "accommodation_needs_medical_opinion",
            _("An accommodation is granted on a medical opinion: record its date first."),
            "decision",
        )
    return None


# The tables -----------------------------------------------------------------------------------

PENDING, ADMISSIBLE, REFUSED = VaeStatusChoice.PENDING, VaeStatusChoice.ADMISSIBLE, VaeStatusChoice.REFUSED
VAE_DECIDED = gettext_lazy("This application is already decided.")

VAE: Lifecycle[VaeApplication] = Lifecycle(
    name="vae",
    model=VaeApplication,
    states=dict(VaeStatusChoice.choices),
    authorise=vae_decider,
    moves=[
        Move("file", (NEW,), PENDING, "vae.filed", gettext_lazy("File"), (within_yearly_limits,), authorise=filer),
        Move(
            "accept",
            (PENDING,),
            ADMISSIBLE,
            "vae.decided",
            gettext_lazy("Admissible"),
            (not_before_the_file, not_accepted_by_silence),
            wrong_state_code="vae_already_decided",
            wrong_state_message=VAE_DECIDED,
        ),
        Move(
            "refuse",
            (PENDING,),
            REFUSED,
            "vae.decided",
            gettext_lazy("Refused"),
            (not_before_the_file, not_accepted_by_silence),
            wrong_state_code="vae_already_decided",
            wrong_state_message=VAE_DECIDED,
        ),
        Move(
            "accept_by_silence",
            (PENDING,),
            ADMISSIBLE,
            "vae.accepted_by_silence",
            checks=(
                system_only("vae_silence_is_not_a_decision", gettext_lazy("Silence is not a decision one records.")),
                accepted_by_silence,
            ),
        ),
    ],
)

REQUESTED, GRANTED = DecisionStatus.REQUESTED, DecisionStatus.GRANTED
ACCOMMODATION_DECIDED = gettext_lazy("This request is already decided.")

ACCOMMODATION: Lifecycle[Accommodation] = Lifecycle(
    name="accommodation",
    model=Accommodation,
    states=dict(DecisionStatus.choices),
    authorise=accommodation_decider,
    moves=[
        Move("request", (NEW,), REQUESTED, "accommodation.requested", gettext_lazy("Request"), authorise=filer),
        Move(
            "grant",
            (REQUESTED,),
            GRANTED,
            "accommodation.decided",
            gettext_lazy("Granted"),
            (not_before_the_request, on_a_medical_opinion),
            wrong_state_code="accommodation_already_decided",
            wrong_state_message=ACCOMMODATION_DECIDED,
        ),
        Move(
            "refuse",
            (REQUESTED,),
            DecisionStatus.REFUSED,
            "accommodation.decided",
            gettext_lazy("Refused"),
            (not_before_the_request,),
            wrong_state_code="accommodation_already_decided",
            wrong_state_message=ACCOMMODATION_DECIDED,
        ),
    ],
)
