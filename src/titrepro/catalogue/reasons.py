"""French messages for the rules' reason codes (the codes stay English, for the API)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from titrepro.core.templatetags.french_dates import french_date
from titrepro.rules.standing import Reason


def reason_message(reason: Reason) -> str:
    values = {
        "version": reason.version or "",
        "on": french_date(reason.on),
    }
    messages = {
        "title_held": _("The title is held: a title never expires."),
        "no_version": _("No version of this title can be completed."),
        "version_ended": _("Version %(version)s ended on %(on)s and nothing links you to it."),
        "grace_expired": _("The one-year extension of version %(version)s ended on %(on)s."),
        "version_not_open_yet": _("Version %(version)s applies from %(on)s."),
        "resit_window_closed": _(
            "The year to sit again after your failure or absence ended on %(on)s: a new training route is needed."
        ),
        "vae_admissibility_missing": _("A VAE candidate needs a notice of admissibility to register for a session."),
        "vae_admissibility_expired": _("Your VAE admissibility was valid until %(on)s."),
        "vae_admissibility_refused": _("Your VAE admissibility was refused."),
        "vae_decision_pending": _(
            "The decision on your VAE admissibility is due by %(on)s (no answer by then means yes)."
        ),
        "unknown_version": _("This title has no version %(version)s."),
        "unknown_ccs": _("Version %(version)s has no such CCS."),
        "unknown_ccp": _("Version %(version)s has no such CCP."),
        "ccs_needs_title": _("A CCS can only be sat by a holder of the title."),
        "ccs_already_held": _("This CCS is already held."),
        "ccs_needs_training_or_experience": _(
            "Outside a training route, a CCS needs one year of experience in the job."
        ),
        "version_closed": _("Version %(version)s can no longer be completed."),
        "partial_success_sit_missing_ccps": _(
            "You hold part of version %(version)s: register for the missing CCPs at CCP sessions."
        ),
        "route_sits_ccp_sessions": _("On your route, version %(version)s is obtained by CCP sessions."),
        "route_sits_title_session": _("On your route, version %(version)s is obtained at a title session."),
        "no_ccp_chosen": _("Choose the CCPs to sit."),
        "ccp_already_held": _("You already hold this CCP."),
        "vae_same_certification_this_year": _("One VAE application per year for the same certification."),
        "vae_too_many_certifications_this_year": _(
            "At most three VAE applications per year for different certifications."
        ),
    }
    return messages.get(reason.code, reason.code) % values
