"""Pages of the directory: authority agents (``dreets/...``) and jury members (``jury/...``).

Thin: reads through ``queries`` (scoped), writes through ``services`` (which
check the scope again). A wrong role answers 403, another authority's object 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.audit.labels import action_label
from titrepro.audit.services import history
from titrepro.core.lists import paginate
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.core.spreadsheets import download
from titrepro.directory import exports, queries, services
from titrepro.directory.forms import (
    ApprovalGrantForm,
    CentreListForm,
    ExperienceForm,
    HabilitationEndForm,
    HabilitationGrantForm,
    JuryMemberListForm,
    LinkForm,
    ProfileForm,
    ReasonForm,
    WithdrawForm,
)
from titrepro.directory.lifecycles import APPROVAL
from titrepro.directory.models import Approval, DeclaredLink, Habilitation, JuryMember
from titrepro.directory.statuses import approval_status, habilitation_status

GET_POST = require_http_methods(["GET", "POST"])


def _data(request: HttpRequest) -> Any:
    """The submitted data of a POST (even empty), None for a GET: the form is bound only when posted."""
    return request.POST if request.method == "POST" else None


def _crumbs(current: str, *links: tuple[str, str]) -> dict[str, Any]:
    """The breadcrumb: the parent (url, title) links, then the current page."""
    return crumbs(*((title, url) for url, title in links), (current, ""))


def _history(*objects: Any) -> list[dict[str, Any]]:
    rows = [entry for obj in objects for entry in history(obj)]
    rows.sort(key=lambda entry: entry.sequence)
    return [{"entry": entry, "label": action_label(entry.action)} for entry in rows]


def _centres_crumb() -> tuple[str, str]:
    return reverse("directory:centre_list"), _("Centres")


def _jury_crumb() -> tuple[str, str]:
    return reverse("directory:jury_member_list"), _("Jury members")


def _form_page(
    request: HttpRequest, *, form: Any, heading: str, intro: str, cancel: str, crumbs: Any, **extra: Any
) -> HttpResponse:
    """A form page; after a service's refusal (``refused``) the summary says the decision cannot be recorded."""
    refused = extra.pop("refused", None)
    refusal_heading = extra.pop("refusal_heading", "") or _("This decision cannot be recorded")
    context = {
        "form": form,
        "errors": form.error_list(),
        "error_heading": refusal_heading if refused is not None else "",
        "heading": heading,
        "intro": intro,
        "cancel_url": cancel,
        "breadcrumb": crumbs,
        "submit": extra.pop("submit", _("Save")),
        **extra,
    }
    return render(request, "directory/form.html", context, status=400 if form.is_bound else 200)


# Authority agent: centres and approvals ------------------------------------------------------


def _centre_list(request: HttpRequest) -> tuple[CentreListForm, Any]:
    """The form and the centres the list shows (the export reads the same)."""
    form = CentreListForm(request.GET or None)
    return form, queries.centre_work_list(
        queries.visible_centres(request.user), today=timezone.localdate(), **form.filters()
    )


@login_required
def centre_list(request: HttpRequest) -> HttpResponse:
    """The work list of centres: search, status, sort, pagination keeping them, export (issue 9, item 5)."""
    today = timezone.localdate()
    form, centres = _centre_list(request)
    page, filters = paginate(request, centres)
    rows = [
        {"centre": centre, "approvals": [(a, approval_status(a, today)) for a in centre.approvals.all()]}
        for centre in page
    ]
    return render(
        request,
        "directory/centre_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filters": filters,
            "filtered": any(form.filters()[k] for k in ("text", "status")),
            "breadcrumb": _crumbs(_("Centres")),
        },
    )


@login_required
def centre_export(request: HttpRequest) -> HttpResponse:
    """What the list shows (its search and filters), as CSV or ``?format=xlsx``."""
    _form, centres = _centre_list(request)
    today = timezone.localdate()
    stem = f"centres-{today.isoformat()}"
    return download(request.GET.get("format"), stem, exports.centre_header(), exports.centre_rows(centres, today))


@login_required
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_scoped_or_404(queries.visible_centre_details(request.user), pk=pk)
    approvals = list(centre.approvals.all())
    today = timezone.localdate()
    for approval in approvals:
        approval.shown = approval_status(approval, today)  # type: ignore[attr-defined]
    return render(
        request,
        "directory/centre_detail.html",
        {
            "centre": centre,
            "approvals": approvals,
            "conventions": centre.conventions.all(),
            # Its staff's accounts: a lost authenticator is reset from here (accounts:device_reset).
            "accounts": queries.staff_accounts(centre),
            "history": _history(centre, *approvals),
            "breadcrumb": _crumbs(centre.name, _centres_crumb()),
        },
    )


@login_required
@GET_POST
def approval_grant(request: HttpRequest, pk: int) -> HttpResponse:
    centre = get_scoped_or_404(queries.visible_centres(request.user), pk=pk)
    back = reverse("directory:centre_detail", args=[centre.pk])
    form = ApprovalGrantForm(_data(request))
    refused: Refused | None = None
    if form.is_valid():
        try:
            approval = services.grant_approval(
                request.user,
                centre=centre,
                version=form.cleaned_data["version"],
                site_address=form.cleaned_data["site_address"],
                granted_on=form.cleaned_data["granted_on"],
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The approval is recorded."))
            return redirect("directory:approval_detail", pk=approval.pk)
    return _form_page(
        request,
        form=form,
        heading=_("Record an approval for %(centre)s") % {"centre": centre.name},
        intro=_("One approval covers one title version on one site, at most until the title's end of validity (R-30)."),
        cancel=back,
        crumbs=_crumbs(_("New approval"), _centres_crumb(), (back, centre.name)),
        refused=refused,
        submit=_("Record the approval"),
    )


@login_required
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_scoped_or_404(queries.visible_approvals(request.user), pk=pk)
    back = reverse("directory:centre_detail", args=[approval.centre_id])
    return render(
        request,
        "directory/approval_detail.html",
        {
            "approval": approval,
            "shown": approval_status(approval, timezone.localdate()),
            "actions": _approval_actions(request.user, approval),
            "history": _history(approval),
            "breadcrumb": _crumbs(str(approval.version), _centres_crumb(), (back, approval.centre.name)),
        },
    )


APPROVAL_ACTION_URLS = {
    "suspend": "directory:approval_suspend",
    "reinstate": "directory:approval_reinstate",
    "withdraw": "directory:approval_withdraw",
}


def _approval_actions(user: Any, approval: Approval) -> list[dict[str, Any]]:
    """The buttons of the approval page, from its lifecycle: the moves offered now, or why they are not."""
    actions = []
    for name, answer in APPROVAL.offered(user, approval).items():
        if name not in APPROVAL_ACTION_URLS:  # the system's moves (expiry) have no button
            continue
        actions.append(
            {
                "name": name,
                "label": APPROVAL.move(name).label,
                "url": reverse(APPROVAL_ACTION_URLS[name], args=[approval.pk]),
                "allowed": answer.allowed,
                "why": answer.message,
            }
        )
    return actions


def _approval_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    approval: Approval = get_scoped_or_404(queries.visible_approvals(request.user), pk=pk)
    back = reverse("directory:approval_detail", args=[approval.pk])
    form: ReasonForm | WithdrawForm = (
        WithdrawForm(_data(request)) if action == "withdraw" else ReasonForm(_data(request))
    )
    refused: Refused | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "suspend":
                services.suspend_approval(request.user, approval, reason=data["reason"])
            elif action == "reinstate":
                services.reinstate_approval(request.user, approval, reason=data["reason"])
            else:
                services.withdraw_approval(
                    request.user,
                    approval,
                    withdrawn_on=data["withdrawn_on"],
                    banned_until=data["reapply_banned_until"],
                    reason=data["reason"],
                )
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The decision is recorded."))
            return redirect(back)
    headings = {
        "suspend": (_("Suspend the approval"), _("After a control finding a non-conformity (R-33).")),
        "reinstate": (_("Reinstate the approval"), _("Once the centre reports it complies again (R-33).")),
        "withdraw": (
            _("Withdraw the approval"),
            _("After the adversarial procedure; a ban on re-applying lasts at most two years (R-33)."),
        ),
    }
    heading, intro = headings[action]
    return _form_page(
        request,
        form=form,
        heading=heading,
        intro=intro,
        cancel=back,
        crumbs=_crumbs(heading, _centres_crumb(), (back, str(approval))),
        refused=refused,
        submit=heading,
        subject=str(approval),
    )


@login_required
@GET_POST
def approval_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _approval_action(request, pk, "suspend")


@login_required
@GET_POST
def approval_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _approval_action(request, pk, "reinstate")


@login_required
@GET_POST
def approval_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _approval_action(request, pk, "withdraw")


# Authority agent: jury members and habilitations ---------------------------------------------


def _jury_member_list(request: HttpRequest) -> tuple[JuryMemberListForm, Any]:
    members = queries.visible_jury_members(request.user)
    form = JuryMemberListForm(request.GET or None, titles=queries.habilitated_titles(members))
    return form, queries.jury_member_work_list(members, today=timezone.localdate(), **form.filters())


@login_required
def jury_member_list(request: HttpRequest) -> HttpResponse:
    """The work list of jury members: search, habilitation status and title, sort, pagination, export."""
    today = timezone.localdate()
    form, members = _jury_member_list(request)
    page, filters = paginate(request, members)
    rows = [
        {"member": member, "habilitations": [(h, habilitation_status(h, today)) for h in member.habilitations.all()]}
        for member in page
    ]
    return render(
        request,
        "directory/jury_member_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filters": filters,
            "filtered": any(form.filters()[k] for k in ("text", "status", "title")),
            "breadcrumb": _crumbs(_("Jury members")),
        },
    )


@login_required
def jury_member_export(request: HttpRequest) -> HttpResponse:
    """What the list shows (its search and filters), as CSV or ``?format=xlsx``."""
    _form, members = _jury_member_list(request)
    today = timezone.localdate()
    stem = f"membres-jury-{today.isoformat()}"
    return download(request.GET.get("format"), stem, exports.member_header(), exports.member_rows(members, today))


@login_required
def jury_member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member: JuryMember = get_scoped_or_404(
        queries.visible_jury_members(request.user).prefetch_related(
            "experiences__title", "trainer_activities__provider", "declared_links", "habilitations__title"
        ),
        pk=pk,
    )
    habilitations = list(member.habilitations.all())
    today = timezone.localdate()
    for habilitation in habilitations:
        habilitation.shown = habilitation_status(habilitation, today)  # type: ignore[attr-defined]
    return render(
        request,
        "directory/jury_member_detail.html",
        {
            "member": member,
            "habilitations": habilitations,
            # The member's accounts: a lost authenticator is reset from here (accounts:device_reset).
            "accounts": [role.user for role in member.roles.filter(pending=False).select_related("user")],
            "history": _history(member, *habilitations),
            "breadcrumb": _crumbs(str(member), _jury_crumb()),
        },
    )


@login_required
@GET_POST
def habilitation_grant(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_scoped_or_404(queries.visible_jury_members(request.user), pk=pk)
    back = reverse("directory:jury_member_detail", args=[member.pk])
    form = HabilitationGrantForm(_data(request))
    refused: Refused | None = None
    if form.is_valid():
        try:
            services.grant_habilitation(
                request.user,
                member=member,
                title=form.cleaned_data["title"],
                granted_on=form.cleaned_data["granted_on"],
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The habilitation is granted."))
            return redirect(back)
    return _form_page(
        request,
        form=form,
        heading=_("Habilitate %(member)s") % {"member": member},
        intro=_(
            "At least three years in the job and not out of it for more than five (R-61); "
            "valid at most until the end of the title's version (R-62)."
        ),
        cancel=back,
        crumbs=_crumbs(_("New habilitation"), _jury_crumb(), (back, str(member))),
        refused=refused,
        refusal_heading=_("The habilitation cannot be granted"),
        submit=_("Grant the habilitation"),
    )


@login_required
@GET_POST
def habilitation_end(request: HttpRequest, pk: int) -> HttpResponse:
    habilitation: Habilitation = get_scoped_or_404(queries.visible_habilitations(request.user), pk=pk)
    back = reverse("directory:jury_member_detail", args=[habilitation.member_id])
    form = HabilitationEndForm(_data(request))
    refused: Refused | None = None
    if form.is_valid():
        try:
            services.end_habilitation(
                request.user, habilitation, ended_on=form.cleaned_data["ended_on"], reason=form.cleaned_data["reason"]
            )
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The habilitation is ended."))
            return redirect(back)
    heading = _("End the habilitation")
    return _form_page(
        request,
        form=form,
        heading=heading,
        intro=str(habilitation),
        cancel=back,
        crumbs=_crumbs(heading, _jury_crumb(), (back, str(habilitation.member))),
        refused=refused,
        submit=heading,
    )


# Jury member: their own profile --------------------------------------------------------------


def _profile_crumb() -> tuple[str, str]:
    return reverse("directory:jury_profile"), _("My jury profile")


@login_required
@GET_POST
def jury_profile(request: HttpRequest) -> HttpResponse:
    member = queries.own_jury_member(request.user)
    form = ProfileForm(_data(request), initial={"phone": member.phone})
    if form.is_valid():
        try:
            services.update_jury_profile(request.user, member, services.ProfileChange(phone=form.cleaned_data["phone"]))
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            success(request, _("Your profile is saved."))
            return redirect("directory:jury_profile")
    today = timezone.localdate()
    habilitations = [(h, habilitation_status(h, today)) for h in member.habilitations.select_related("title")]
    return render(
        request,
        "directory/jury_profile.html",
        {
            "member": member,
            "habilitations": habilitations,
            "form": form,
            "breadcrumb": _crumbs(_("My jury profile")),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@GET_POST
def jury_experience_add(request: HttpRequest) -> HttpResponse:
    member = queries.own_jury_member(request.user)
    back = reverse("directory:jury_profile")
    form = ExperienceForm(_data(request))
    refused: Refused | None = None
    if form.is_valid():
        try:
            services.add_experience(request.user, member, **form.cleaned_data)
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The experience is added."))
            return redirect(back)
    heading = _("Add a professional experience")
    return _form_page(
        request,
        form=form,
        heading=heading,
        intro=_("Your periods in the job are what a habilitation is granted on (R-61)."),
        cancel=back,
        crumbs=_crumbs(heading, _profile_crumb()),
        refused=refused,
        submit=_("Add"),
    )


@login_required
@GET_POST
def jury_link_add(request: HttpRequest) -> HttpResponse:
    member = queries.own_jury_member(request.user)
    back = reverse("directory:jury_profile")
    form = LinkForm(_data(request))
    refused: Refused | None = None
    if form.is_valid():
        try:
            services.add_declared_link(request.user, member, **form.cleaned_data)
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The link is declared."))
            return redirect(back)
    heading = _("Declare a link")
    return _form_page(
        request,
        form=form,
        heading=heading,
        intro=_(
            "Declare your employers, the training providers you teach for and your personal links: "
            "you will not evaluate candidates you are linked to (R-64)."
        ),
        cancel=back,
        crumbs=_crumbs(heading, _profile_crumb()),
        refused=refused,
        submit=_("Declare"),
    )


@login_required
@GET_POST
def jury_link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link: DeclaredLink = get_scoped_or_404(queries.own_declared_links(request.user), pk=pk)
    back = reverse("directory:jury_profile")
    form = ReasonForm(_data(request))
    form.fields["reason"].required = False
    if form.is_valid():
        services.remove_declared_link(request.user, link, reason=form.cleaned_data["reason"])
        success(request, _("The link is removed."))
        return redirect(back)
    heading = _("Remove a declared link")
    return _form_page(
        request,
        form=form,
        heading=heading,
        intro=str(link),
        cancel=back,
        crumbs=_crumbs(heading, _profile_crumb()),
        submit=_("Remove"),
    )
