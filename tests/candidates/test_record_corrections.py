"""Issue 9, item 2: a candidate's record can be corrected — identity (duplicate check again, audited
with before and after), pathways added and ended."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import centre_staff, make_candidate, make_centre, make_pathway, make_title, today
from tests.helpers import login_as

from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import Pathway

pytestmark = pytest.mark.django_db


def _identity(candidate: object, **changes: str) -> dict[str, str]:
    data = {
        "birth_name": candidate.birth_name,  # type: ignore[attr-defined]
        "usual_name": "",
        "given_names": candidate.given_names,  # type: ignore[attr-defined]
        "birth_date": candidate.birth_date.isoformat(),  # type: ignore[attr-defined]
        "birth_place": candidate.birth_place,  # type: ignore[attr-defined]
        "email": "",
        "phone": "",
    }
    return {**data, **changes}


def test_correct_the_identity_is_audited_with_before_and_after(client: Client) -> None:
    centre = make_centre()
    candidate = make_candidate(centre=centre, birth_name="MOREO", birth_place="Lyon")
    login_as(client, centre_staff(centre))
    url = reverse("spaces:centre_candidate_edit", args=[candidate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _identity(candidate, birth_name="MOREAU", phone="0612345678"))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.birth_name == "MOREAU"
    assert candidate.phone == "06 12 34 56 78"
    entry = AuditEntry.objects.get(action="candidate.updated")
    assert entry.data["changes"]["birth_name"] == ["MOREO", "MOREAU"]
    detail = client.get(reverse("spaces:centre_candidate_detail", args=[candidate.pk])).content.decode()
    assert "MOREO → MOREAU" in detail


def test_a_correction_that_makes_a_duplicate_is_refused(client: Client) -> None:
    centre = make_centre()
    make_candidate(centre=centre, birth_name="MOREAU", given_names="Chloé", birth_date=datetime.date(1990, 1, 2))
    other = make_candidate(centre=centre, birth_name="MOREO", given_names="Chloé", birth_date=datetime.date(1990, 1, 2))
    login_as(client, centre_staff(centre))
    response = client.post(
        reverse("spaces:centre_candidate_edit", args=[other.pk]), _identity(other, birth_name="MOREAU")
    )
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    other.refresh_from_db()
    assert other.birth_name == "MOREO"
    assert not AuditEntry.objects.filter(action="candidate.updated").exists()


def test_a_birth_date_out_of_range_is_refused_on_correction(client: Client) -> None:
    centre = make_centre()
    candidate = make_candidate(centre=centre)
    login_as(client, centre_staff(centre))
    client.post(
        reverse("spaces:centre_candidate_edit", args=[candidate.pk]), _identity(candidate, birth_date="2031-01-01")
    )
    candidate.refresh_from_db()
    assert candidate.birth_date.year != 2031


def test_add_then_end_a_pathway(client: Client) -> None:
    centre = make_centre()
    candidate = make_candidate(centre=centre)
    title = make_title()
    login_as(client, centre_staff(centre))
    added = client.post(
        reverse("spaces:centre_pathway_add", args=[candidate.pk]),
        {"title": title.code, "route": "training", "started_on": (today() - datetime.timedelta(days=60)).isoformat()},
    )
    assert added.status_code == 302
    pathway = Pathway.objects.get(candidate=candidate)
    again = client.post(
        reverse("spaces:centre_pathway_add", args=[candidate.pk]), {"title": title.code, "route": "training"}
    )
    assert again.status_code == 200  # the same route to the same title: refused
    end_url = reverse("spaces:centre_pathway_end", args=[candidate.pk, pathway.pk])
    detail = client.get(reverse("spaces:centre_candidate_detail", args=[candidate.pk])).content.decode()
    assert end_url in detail
    tomorrow = client.post(end_url, {"ended_on": (today() + datetime.timedelta(days=1)).isoformat()})
    assert tomorrow.status_code == 200
    assert client.post(end_url, {"ended_on": today().isoformat()}).status_code == 302
    pathway.refresh_from_db()
    assert pathway.ended_on == today()
    assert list(AuditEntry.objects.filter(action__startswith="pathway.").values_list("action", flat=True)) == [
        "pathway.added",
        "pathway.ended",
    ]
    assert end_url not in client.get(reverse("spaces:centre_candidate_detail", args=[candidate.pk])).content.decode()


def test_another_centres_pathway_is_not_found(client: Client) -> None:
    centre = make_centre()
    ours = make_candidate(centre=centre)
    theirs = make_pathway(candidate=make_candidate(centre=make_centre()))
    login_as(client, centre_staff(centre))
    assert client.get(reverse("spaces:centre_pathway_end", args=[ours.pk, theirs.pk])).status_code == 404


def test_invite_the_candidate_from_their_record(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    """The invitation asked for a "candidate number" shown nowhere: the record links to it, filled in."""
    import re

    from django.core import mail

    from titrepro.accounts.models import Role

    centre = make_centre()
    candidate = make_candidate(centre=centre, email="chloe@example.org")
    login_as(client, centre_staff(centre))
    detail = client.get(reverse("spaces:centre_candidate_detail", args=[candidate.pk])).content.decode()
    link = re.search(r'id="invite-candidate" href="([^"]+)"', detail)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f'value="{candidate.pk}"' in form
    assert 'value="chloe@example.org"' in form
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("accounts:invite"), {"email": "chloe@example.org", "kind": "candidate", "candidate": candidate.pk}
        )
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    assert Role.objects.filter(candidate=candidate).exists()


def test_a_new_dp_replaces_the_previous_which_stays_in_the_history(
    client: Client, tmp_path: Any, settings: Any
) -> None:
    """Two DPs for the same title were both listed and neither could be viewed: now one is current,
    the earlier one is kept, and each downloads as a PDF attachment."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.factories import user_with_role

    from titrepro.accounts.models import RoleKind
    from titrepro.candidates import services
    from titrepro.candidates.models import ProfessionalPortfolio

    settings.MEDIA_ROOT = tmp_path
    centre = make_centre()
    candidate = make_candidate(centre=centre)
    title = make_title()
    me = user_with_role(RoleKind.CANDIDATE, candidate=candidate)
    for body in (b"%PDF-1.7\n% first\n%%EOF\n", b"%PDF-1.7\n% second\n%%EOF\n"):
        pdf = SimpleUploadedFile("dp.pdf", body, content_type="application/pdf")
        services.upload_portfolio(me, candidate, title=title, file=pdf, declaration=True, signed_on=today())
    current = ProfessionalPortfolio.objects.get(candidate=candidate, replaced_at=None)
    earlier = ProfessionalPortfolio.objects.exclude(pk=current.pk).get(candidate=candidate)
    assert earlier.replaced_at is not None
    assert AuditEntry.objects.filter(action="portfolio.replaced").count() == 1
    login_as(client, me)
    home = client.get(reverse("spaces:candidate_home")).content.decode()
    assert reverse("spaces:candidate_portfolio_file", args=[current.pk]) in home
    assert reverse("spaces:candidate_portfolio_file", args=[earlier.pk]) in home
    response = client.get(reverse("spaces:candidate_portfolio_file", args=[current.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"second" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    login_as(client, centre_staff(centre))
    staff_url = reverse("spaces:centre_portfolio_file", args=[candidate.pk, earlier.pk])
    assert staff_url in client.get(reverse("spaces:centre_candidate_detail", args=[candidate.pk])).content.decode()
    assert b"first" in b"".join(client.get(staff_url).streaming_content)  # type: ignore[attr-defined]
