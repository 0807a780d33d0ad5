"""The authority's decisions on candidates' requests, in the one shape of ``core.decisions``.

VAE admissibility (R-20, R-21) and accommodations (R-85, R-86): what each
shows the agent and in whose name it is decided. The pages, the service and
the API are ``core.decisions``'s.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titrepro.candidates.lifecycles import ACCOMMODATION, VAE
from titrepro.candidates.models import Accommodation, VaeApplication
from titrepro.candidates.queries import (
    decidable_accommodations,
    decidable_vae_applications,
    search_requests,
    vae_status,
)
from titrepro.core.decisions import DecisionKind
from titrepro.core.templatetags.french_dates import french_date


def _vae_due(application: VaeApplication, today: date) -> Any:
    return vae_status(application, today).decision_due or ""


def _vae_settled(application: VaeApplication, today: date) -> str | None:
    """R-21: two months without a decision after the complete file is an acceptance."""
    status = vae_status(application, today)
    if not status.tacit or status.decision_due is None:
        return None
    return _("accepted by silence on %(day)s") % {"day": french_date(status.decision_due)}


VAE_DECISION: DecisionKind[VaeApplication] = DecisionKind(
    key="vae",
    lifecycle=VAE,
    accept="accept",
    refuse="refuse",
    visible=decidable_vae_applications,
    authority_id=lambda application: application.candidate.centre.authority_id,
    title=gettext_lazy("VAE admissibility"),
    accept_label=gettext_lazy("Admissible"),
    refuse_label=gettext_lazy("Refused"),
    heading=lambda application: _("VAE admissibility of %(candidate)s") % {"candidate": application.candidate},
    facts=lambda application, today: [
        (_("Title"), f"{application.title.code} – {application.title.label}"),
        (_("Centre"), application.candidate.centre.name),
        (_("Complete file received on"), application.filed_on),
        (_("Decision due by"), vae_status(application, today).decision_due or ""),
    ],
    columns=[
        gettext_lazy("Title"),
        gettext_lazy("Centre"),
        gettext_lazy("File received on"),
        gettext_lazy("Decision due by"),
    ],
    row=lambda application, today: [
        application.title.code,
        application.candidate.centre.name,
        application.filed_on,
        _vae_due(application, today),
    ],
    settled=_vae_settled,
    person_url_name="spaces:authority_candidate_detail",
    search=search_requests,
)


def extra_time_label(accommodation: Accommodation) -> str:
    """ "1/3, also on the interviews", "1/3, on the tests done alone", or "—"."""
    if not accommodation.extra_time:
        return "—"
    if accommodation.extra_time_orals:
        return _("%(fraction)s, also on the interviews") % {"fraction": accommodation.extra_time}
    return _("%(fraction)s, on the tests done alone") % {"fraction": accommodation.extra_time}


ACCOMMODATION_DECISION: DecisionKind[Accommodation] = DecisionKind(
    key="accommodation",
    lifecycle=ACCOMMODATION,
    accept="grant",
    refuse="refuse",
    visible=decidable_accommodations,
    authority_id=lambda accommodation: accommodation.candidate.centre.authority_id,
    title=gettext_lazy("Accommodation requests"),
    accept_label=gettext_lazy("Granted"),
    refuse_label=gettext_lazy("Refused"),
    heading=lambda accommodation: _("Accommodation request of %(candidate)s") % {"candidate": accommodation.candidate},
    facts=lambda accommodation, today: [
        (_("Centre"), accommodation.candidate.centre.name),
        (_("Requested on"), accommodation.requested_on),
        (_("Accommodations asked for"), ", ".join(accommodation.kind_labels())),
        (_("Details"), accommodation.details),
        (_("Extra time"), extra_time_label(accommodation)),
        (_("Date of the medical opinion"), accommodation.medical_opinion_on or _("not given")),
    ],
    columns=[gettext_lazy("Centre"), gettext_lazy("Requested on"), gettext_lazy("Accommodations asked for")],
    row=lambda accommodation, today: [
        accommodation.candidate.centre.name,
        accommodation.requested_on,
        ", ".join(accommodation.kind_labels()),
    ],
    audit_data=lambda accommodation: {"kinds": accommodation.kinds},
    person_url_name="spaces:authority_candidate_detail",
    search=search_requests,
)
