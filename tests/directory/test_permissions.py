"""Permission matrix of every directory page and API endpoint (base class: tests/permissions.py).

Authority pages are for authority agents and the national administrator; the
jury pages for the jury member themself. Writes are posted with a valid form:
a refusal by the rules (400 on a page, 422 in the API) comes after the scope checks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tests.permissions import Audience, PermissionMatrix, Row

AGENT = Audience.AUTHORITY | Audience.NATIONAL
JURY = Audience.JURY
# Centre names are public: the link form offers them all.
CENTRES_ARE_PUBLIC = frozenset({"centre"})


def centre(w: Any) -> list[int]:
    return [w.ours.centre.pk]


def approval(w: Any) -> list[int]:
    return [w.ours.approval.pk]


def member(w: Any) -> list[int]:
    return [w.ours.member.pk]


def habilitation(w: Any) -> list[int]:
    return [w.ours.habilitation.pk]


def link(w: Any) -> list[int]:
    return [w.ours.link.pk]


def reason(text: str) -> Any:
    return lambda w: {"reason": text}


WITHDRAWAL = {"withdrawn_on": "2025-09-01", "reapply_banned_until": "2026-09-01", "reason": "Fraude"}


class TestDirectoryPermissions(PermissionMatrix):
    template_prefix = "directory/"
    rows: ClassVar[list[Row]] = [
        # Authority agent: centres and approvals.
        Row("directory:centre_list", AGENT, is_list=True),
        Row("directory:centre_export", AGENT, is_list=True),
        Row("directory:centre_export", AGENT, is_list=True, query=lambda w: {"format": "xlsx"}),
        Row("directory:centre_detail", AGENT, args=centre),
        Row("directory:approval_grant", AGENT, args=centre),
        Row(
            "directory:approval_grant",
            AGENT,
            method="post",
            args=centre,
            body=lambda w: {
                "version": w.ours.approval.version_id,
                "site_address": "Autre site",
                "granted_on": "2025-05-01",
            },
            status=302,
        ),
        Row("directory:approval_detail", AGENT, args=approval),
        Row("directory:approval_suspend", AGENT, args=approval),
        Row("directory:approval_suspend", AGENT, method="post", args=approval, body=reason("Contrôle"), status=302),
        Row("directory:approval_reinstate", AGENT, args=approval),
        # The approval is active: reinstating it is refused by the rules.
        Row("directory:approval_reinstate", AGENT, method="post", args=approval, body=reason("Conforme"), status=400),
        Row("directory:approval_withdraw", AGENT, args=approval),
        Row("directory:approval_withdraw", AGENT, method="post", args=approval, body=lambda w: WITHDRAWAL, status=302),
        # Authority agent: jury members and habilitations.
        Row("directory:jury_member_list", AGENT, is_list=True),
        Row("directory:jury_member_export", AGENT, is_list=True),
        Row("directory:jury_member_export", AGENT, is_list=True, query=lambda w: {"format": "xlsx"}),
        Row("directory:jury_member_detail", AGENT, args=member),
        Row("directory:habilitation_grant", AGENT, args=member),
        # The member already holds one for this title: refused by the rules.
        Row(
            "directory:habilitation_grant",
            AGENT,
            method="post",
            args=member,
            body=lambda w: {"title": w.title.pk, "granted_on": "2025-06-01"},
            status=400,
        ),
        Row("directory:habilitation_end", AGENT, args=habilitation),
        Row(
            "directory:habilitation_end",
            AGENT,
            method="post",
            args=habilitation,
            body=lambda w: {"ended_on": "2025-06-01", "reason": "À sa demande"},
            status=302,
        ),
        # The jury member's own profile: another member gets theirs, never ours.
        Row("directory:jury_profile", JURY, is_list=True),
        Row(
            "directory:jury_profile",
            JURY,
            method="post",
            body=lambda w: {"phone": "04 72 10 20 30"},
            status=302,
            is_list=True,
        ),
        Row("directory:jury_experience_add", JURY, is_list=True),
        Row(
            "directory:jury_experience_add",
            JURY,
            method="post",
            body=lambda w: {
                "job": "Technicienne réseau",
                "employer": "ACME",
                "start": "2019-01-01",
                "title": w.title.pk,
            },
            status=302,
            is_list=True,
        ),
        Row("directory:jury_link_add", JURY, is_list=True, public=CENTRES_ARE_PUBLIC),
        Row(
            "directory:jury_link_add",
            JURY,
            method="post",
            body=lambda w: {"kind": "employer", "label": "ACME"},
            status=302,
            is_list=True,
        ),
        Row("directory:jury_link_remove", JURY, args=link),
        Row("directory:jury_link_remove", JURY, method="post", args=link, body=reason(""), status=302),
        # API.
        Row("api:directory_centre_list", AGENT, is_list=True),
        Row("api:directory_centre_detail", AGENT, args=centre),
        Row("api:directory_approval_list", AGENT, is_list=True),
        Row("api:directory_approval_detail", AGENT, args=approval),
        Row(
            "api:directory_approval_grant",
            AGENT,
            method="post",
            args=centre,
            body=lambda w: {
                "version_id": w.ours.approval.version_id,
                "site_address": "Autre site",
                "granted_on": "2025-05-01",
            },
            status=201,
        ),
        Row("api:directory_approval_suspend", AGENT, method="post", args=approval, body=reason("Contrôle")),
        # The approval is active: reinstating it is refused by the rules (422), after the scope checks.
        Row(
            "api:directory_approval_reinstate", AGENT, method="post", args=approval, body=reason("Conforme"), status=422
        ),
        Row("api:directory_approval_withdraw", AGENT, method="post", args=approval, body=lambda w: WITHDRAWAL),
        Row("api:directory_habilitation_list", AGENT, is_list=True),
        # The member already holds one: refused by the rules, after the scope checks.
        Row(
            "api:directory_habilitation_grant",
            AGENT,
            method="post",
            body=lambda w: {"member_id": w.ours.member.pk, "title": w.title.code, "granted_on": "2025-06-01"},
            status=422,
        ),
        Row(
            "api:directory_habilitation_end",
            AGENT,
            method="post",
            args=habilitation,
            body=lambda w: {"ended_on": "2025-06-01", "reason": "À sa demande"},
        ),
        Row("api:directory_jury_me", JURY, is_list=True),
    ]
