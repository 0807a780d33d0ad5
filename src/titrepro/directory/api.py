"""/api/v1/directory: centres, approvals, habilitations, the jury member's own profile.

Thin over ``queries`` (scoped reads) and ``services`` (audited writes), like the
pages. Errors are ``core.api.ApiError``, answered by the handlers every router
shares: 401 without authentication, 403 for a role that may not, 404 for what
is missing or outside the user's organisation, 422 for a refusal by the rules
(its own code; ``reasons`` lists every rule that said no).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from titrepro.accounts.api_auth import api_auth
from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.core.api import READ_ERRORS, WRITE_ERRORS, Id
from titrepro.core.refusals import NotFound
from titrepro.directory import queries, services
from titrepro.directory.models import Approval, ApprovedCentre, Habilitation, JuryMember, LinkKind

router = Router(auth=api_auth, tags=["directory"])


class CentreOut(Schema):
    id: int
    code: str
    name: str
    siret: str
    authority_id: int
    departement: str = Field(..., alias="authority.departement")


class ApprovalOut(Schema):
    id: int
    centre_id: int
    title: str = Field(..., alias="version.title.code")
    version: str = Field(..., alias="version.label")
    site_address: str
    granted_on: date
    valid_until: date
    status: str
    authority_id: int
    withdrawn_on: date | None
    reapply_banned_until: date | None


class ApprovalGrantIn(Schema):
    version_id: Id
    site_address: str = Field(..., min_length=1, max_length=500)
    granted_on: date
    valid_until: date | None = None
    reason: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class WithdrawIn(Schema):
    withdrawn_on: date
    reapply_banned_until: date | None = None
    reason: str = Field(..., min_length=1, max_length=2000)


class HabilitationOut(Schema):
    id: int
    member_id: int
    title: str = Field(..., alias="title.code")
    authority_id: int
    granted_on: date
    valid_until: date
    ended_on: date | None
    end_reason: str


class HabilitationGrantIn(Schema):
    member_id: Id
    title: str = Field(..., description="Code of the title, such as TP-01351.")
    granted_on: date
    valid_until: date | None = None
    reason: str = Field("", max_length=2000)


class HabilitationEndIn(Schema):
    ended_on: date
    reason: str = Field(..., min_length=1, max_length=2000)


class ExperienceOut(Schema):
    id: int
    job: str
    employer: str
    title: str | None = Field(None, alias="title.code")
    start: date
    end: date | None


class LinkOut(Schema):
    id: int
    kind: LinkKind
    label: str
    provider_id: int | None
    centre_id: int | None
    note: str


class JuryMemberOut(Schema):
    id: int
    last_name: str
    first_name: str
    email: str
    phone: str
    authority_id: int
    experiences: list[ExperienceOut]
    declared_links: list[LinkOut]
    habilitations: list[HabilitationOut]

    @staticmethod
    def resolve_experiences(obj: JuryMember) -> list[object]:
        return list(obj.experiences.all())

    @staticmethod
    def resolve_declared_links(obj: JuryMember) -> list[object]:
        return list(obj.declared_links.all())

    @staticmethod
    def resolve_habilitations(obj: JuryMember) -> list[object]:
        return list(obj.habilitations.all())


# Centres and approvals --------------------------------------------------------------------------


@router.get("/centres", response={200: list[CentreOut], **READ_ERRORS}, url_name="directory_centre_list")
def list_centres(request: HttpRequest) -> list[ApprovedCentre]:
    """The centres of the user's authority (all of them for a national administrator)."""
    return list(queries.visible_centres(request.user))


@router.get("/centres/{centre_id}", response={200: CentreOut, **READ_ERRORS}, url_name="directory_centre_detail")
def get_centre(request: HttpRequest, centre_id: Id) -> ApprovedCentre:
    return get_scoped_or_404(queries.visible_centres(request.user), pk=centre_id)


@router.get("/approvals", response={200: list[ApprovalOut], **READ_ERRORS}, url_name="directory_approval_list")
def list_approvals(request: HttpRequest, centre_id: Id | None = None) -> list[Approval]:
    """The approvals of the user's authority, optionally of one centre."""
    approvals = queries.visible_approvals(request.user)
    return list(approvals if centre_id is None else approvals.filter(centre_id=centre_id))


@router.get(
    "/approvals/{approval_id}", response={200: ApprovalOut, **READ_ERRORS}, url_name="directory_approval_detail"
)
def get_approval(request: HttpRequest, approval_id: Id) -> Approval:
    return get_scoped_or_404(queries.visible_approvals(request.user), pk=approval_id)


@router.post(
    "/centres/{centre_id}/approvals", response={201: ApprovalOut, **WRITE_ERRORS}, url_name="directory_approval_grant"
)
def grant_approval(request: HttpRequest, centre_id: Id, payload: ApprovalGrantIn) -> Status[Approval]:
    """Record an approval (R-30): at most until the end of validity of the title version."""
    centre = get_scoped_or_404(queries.visible_centres(request.user), pk=centre_id)
    version = TitleVersion.objects.filter(pk=payload.version_id).first()
    if version is None:
        raise NotFound("version_not_found", _("No such title version."), "version_id")
    approval = services.grant_approval(
        request.user,
        centre=centre,
        version=version,
        site_address=payload.site_address,
        granted_on=payload.granted_on,
        valid_until=payload.valid_until,
        reason=payload.reason,
    )
    return Status(201, approval)


def _approval(request: HttpRequest, approval_id: int) -> Approval:
    return get_scoped_or_404(queries.visible_approvals(request.user), pk=approval_id)


@router.post(
    "/approvals/{approval_id}/suspend",
    response={200: ApprovalOut, **WRITE_ERRORS},
    url_name="directory_approval_suspend",
)
def suspend_approval(request: HttpRequest, approval_id: Id, payload: ReasonIn) -> Approval:
    """Suspend an active approval (R-33)."""
    return services.suspend_approval(request.user, _approval(request, approval_id), reason=payload.reason)


@router.post(
    "/approvals/{approval_id}/reinstate",
    response={200: ApprovalOut, **WRITE_ERRORS},
    url_name="directory_approval_reinstate",
)
def reinstate_approval(request: HttpRequest, approval_id: Id, payload: ReasonIn) -> Approval:
    """Reinstate a suspended approval (R-33)."""
    return services.reinstate_approval(request.user, _approval(request, approval_id), reason=payload.reason)


@router.post(
    "/approvals/{approval_id}/withdraw",
    response={200: ApprovalOut, **WRITE_ERRORS},
    url_name="directory_approval_withdraw",
)
def withdraw_approval(request: HttpRequest, approval_id: Id, payload: WithdrawIn) -> Approval:
    """Withdraw an approval, with a ban on re-applying of at most two years (R-33)."""
    return services.withdraw_approval(
        request.user,
        _approval(request, approval_id),
        withdrawn_on=payload.withdrawn_on,
        banned_until=payload.reapply_banned_until,
        reason=payload.reason,
    )


# Habilitations ----------------------------------------------------------------------------------


@router.get(
    "/habilitations", response={200: list[HabilitationOut], **READ_ERRORS}, url_name="directory_habilitation_list"
)
def list_habilitations(request: HttpRequest, member_id: Id | None = None) -> list[Habilitation]:
    """The habilitations of the jury members of the user's authority."""
    habilitations = queries.visible_habilitations(request.user)
    return list(habilitations if member_id is None else habilitations.filter(member_id=member_id))


@router.post("/habilitations", response={201: HabilitationOut, **WRITE_ERRORS}, url_name="directory_habilitation_grant")
def grant_habilitation(request: HttpRequest, payload: HabilitationGrantIn) -> Status[Habilitation]:
    """Habilitate a jury member for a title: R-61's criteria, valid at most until the version's end (R-62)."""
    member = get_scoped_or_404(queries.visible_jury_members(request.user), pk=payload.member_id)
    title = Title.objects.filter(code=payload.title).first()
    if title is None:
        raise NotFound("title_not_found", _("No such title."), "title")
    habilitation = services.grant_habilitation(
        request.user,
        member=member,
        title=title,
        granted_on=payload.granted_on,
        valid_until=payload.valid_until,
        reason=payload.reason,
    )
    return Status(201, habilitation)


@router.post(
    "/habilitations/{habilitation_id}/end",
    response={200: HabilitationOut, **WRITE_ERRORS},
    url_name="directory_habilitation_end",
)
def end_habilitation(request: HttpRequest, habilitation_id: Id, payload: HabilitationEndIn) -> Habilitation:
    habilitation = get_scoped_or_404(queries.visible_habilitations(request.user), pk=habilitation_id)
    return services.end_habilitation(request.user, habilitation, ended_on=payload.ended_on, reason=payload.reason)


# The jury member's own profile ------------------------------------------------------------------


@router.get("/jury/me", response={200: JuryMemberOut, **READ_ERRORS}, url_name="directory_jury_me")
def jury_me(request: HttpRequest) -> JuryMember:
    """The profile of the jury member the user is: experiences, declared links, habilitations."""
    return queries.own_jury_member(request.user)
