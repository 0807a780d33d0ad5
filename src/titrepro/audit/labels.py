"""What an audit action means, in words, for the "Historique" blocks (the codes stay English)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def action_label(action: str) -> str:
    labels = {
        "approval.granted": _("Approval granted"),
        "approval.suspended": _("Approval suspended"),
        "approval.reinstated": _("Approval reinstated"),
        "approval.withdrawn": _("Approval withdrawn"),
        "approval.expired": _("Approval expired"),
        "habilitation.granted": _("Habilitation granted"),
        "habilitation.ended": _("Habilitation ended"),
        "jury_member.profile_updated": _("Profile updated"),
        "jury_member.experience_added": _("Professional experience added"),
        "declared_link.added": _("Link declared"),
        "declared_link.removed": _("Declared link removed"),
        "candidate.created": _("Candidate registered"),
        "candidate.updated": _("Identity corrected"),
        "second_factor.recovery_codes_generated": _("Recovery codes made"),
        "second_factor.recovery_code_used": _("Recovery code used"),
        "second_factor.reset": _("Authenticator reset"),
        "account.password_reset": _("Password reset by e-mail"),
        "pathway.added": _("Pathway added"),
        "pathway.ended": _("Pathway ended"),
        "portfolio.replaced": _("Dossier professionnel replaced"),
        "candidates.imported": _("Candidates imported"),
        "assessment.recorded": _("ECF result recorded"),
        "vae.filed": _("VAE application filed"),
        "vae.decided": _("VAE admissibility decided"),
        "vae.accepted_by_silence": _("VAE application accepted by silence"),
        "accommodation.requested": _("Accommodation requested"),
        "accommodation.decided": _("Accommodation decided"),
        "portfolio.uploaded": _("Professional portfolio uploaded"),
        "role.granted": _("Role granted"),
        "role.revoked": _("Role revoked"),
        "account.activated": _("Account activated"),
        "token.created": _("API token created"),
        "token.revoked": _("API token revoked"),
    }
    return labels.get(action, action)
