"""The lifecycle of a PV (procès-verbal, R-71, R-72), as data.

    (new) --open--> deliberating --submit--> submitted --validate--> validated --supersede--> superseded
                                              submitted --return--> deliberating   (the authority, with a reason)

The PV opens with the deliberation (the system, on the first page or call that needs it); the centre's staff
submit it once every member present has signed its current content; an agent of the centre's authority
validates it or returns it to the centre; a corrective PV (after an appeal, R-82) supersedes a validated one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titrepro.accounts.permissions import ensure_in
from titrepro.core.lifecycle import NEW, Lifecycle, Move
from titrepro.core.refusals import Refused
from titrepro.deliberation import minutes as content
from titrepro.deliberation.models import Decision, Minutes, MinutesStatus
from titrepro.rules.parameters import DEFAULT
from titrepro.sessions import queries
from titrepro.sessions.lifecycles import staff_of

M = MinutesStatus


def the_centre(user: Any, minutes: Minutes) -> None:
    staff_of(user, minutes.session.centre_id)


def the_authority(user: Any, minutes: Minutes) -> None:
    """An agent of the authority of the session's centre (or a national administrator); another département's
    PV is as missing (404)."""
    ensure_in(queries.authority_sessions(user), minutes.session)


def every_candidate_decided(user: Any, minutes: Minutes, on: date) -> Refused | None:
    registrations = content.registrations_of(minutes)
    decided = set(
        Decision.objects.filter(registration__in=registrations)
        .exclude(result="")
        .values_list("registration_id", flat=True)
    )
    missing = [r for r in registrations if r.pk not in decided]
    if missing:
        return Refused(
            "minutes_decisions_missing",
            _("No decision yet for %(people)s: the jury decides for every candidate before the PV is signed.")
            % {"people": ", ".join(str(r.candidate) for r in missing)},
        )
    return None


def signed_by_every_member_present(user: Any, minutes: Minutes, on: date) -> Refused | None:
    """R-71: signed by every jury member present, on the current content (at least two present, R-63)."""
    present = list(minutes.present.select_related("member"))
    if len(present) < DEFAULT.jury_min_members:
        return Refused(
            "minutes_jury_too_small",
            _("Record at least two jury members present at the deliberation (R-63)."),
        )
    sha = content.digest(content.content(minutes))
    signed = set(minutes.signatures.filter(voided_at=None, sha256=sha).values_list("assignment_id", flat=True))
    unsigned = [a for a in present if a.pk not in signed]
    if unsigned:
        return Refused(
            "minutes_signatures_missing",
            _("The PV is not signed yet by %(people)s (R-71).")
            % {"people": ", ".join(str(a.member) for a in unsigned)},
        )
    return None


def a_corrective_revision(user: Any, minutes: Minutes, on: date) -> Refused | None:
    """Only a later revision never submitted is validated by the authority itself: the first PV goes through
    the jury's signatures and the centre's submission (R-71)."""
    if minutes.revision < 2 or minutes.submitted_at is not None:
        return Refused(
            "minutes_not_corrective",
            _("Only the corrective PV of an appeal upheld is validated without the jury's signatures (R-82)."),
        )
    return None


MINUTES: Lifecycle[Minutes] = Lifecycle(
    name="minutes",
    model=Minutes,
    states=dict(MinutesStatus.choices),
    authorise=the_centre,
    moves=[
        Move("open", (NEW,), M.DELIBERATING, "minutes.opened"),
        Move(
            "submit",
            (M.DELIBERATING,),
            M.SUBMITTED,
            "minutes.submitted",
            label=gettext_lazy("Submit the PV to the authority"),
            checks=(every_candidate_decided, signed_by_every_member_present),
            wrong_state_code="minutes_not_deliberating",
            wrong_state_message=gettext_lazy("This PV is no longer being deliberated."),
        ),
        Move(
            "validate",
            (M.SUBMITTED,),
            M.VALIDATED,
            "minutes.validated",
            label=gettext_lazy("Validate the PV"),
            authorise=the_authority,
            wrong_state_code="minutes_not_submitted",
            wrong_state_message=gettext_lazy(
                "This PV is not awaiting validation: it was validated or returned meanwhile."
            ),
        ),
        Move(
            "return",
            (M.SUBMITTED,),
            M.DELIBERATING,
            "minutes.returned",
            label=gettext_lazy("Return the PV to the centre"),
            authorise=the_authority,
            wrong_state_code="minutes_not_submitted",
            wrong_state_message=gettext_lazy(
                "This PV is not awaiting validation: it was validated or returned meanwhile."
            ),
        ),
        Move("supersede", (M.VALIDATED,), M.SUPERSEDED, "minutes.superseded", authorise=the_authority),
        # The corrective PV of an appeal upheld: opened and validated in the appeal's transaction by the
        # authority that decided it (``deliberation.appeals``); no button, like "supersede".
        Move(
            "correct",
            (M.DELIBERATING,),
            M.VALIDATED,
            "minutes.corrected",
            authorise=the_authority,
            checks=(a_corrective_revision,),
        ),
    ],
)
