"""Permission matrix of the role spaces (/espace/...) and of /api/v1/candidates (base class: tests/permissions.py).

Centre pages are for centre staff and the national administrator, the
candidate's pages for the candidate, the decisions for authority agents.
The API's reads are scoped to what each user may see: a role without
candidates gets an empty list and 404 for one candidate.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.helpers import login_as
from tests.permissions import Audience, PermissionMatrix, Row, World

from titrepro.candidates.models import Candidate, ImportJob, ImportStatus

CENTRE = Audience.CENTRE | Audience.NATIONAL
CANDIDATE = Audience.CANDIDATE
AUTHORITY = Audience.AUTHORITY
# Whoever has candidates to see: the API's reads show each only theirs.
SEES_CANDIDATES = Audience.CENTRE | Audience.AUTHORITY | Audience.CANDIDATE | Audience.NATIONAL

GOOD = b"nom_naissance;prenoms;date_naissance;lieu_naissance\nNouveau;Jean;01/02/2000;Brest\n"
BAD = b"nom_naissance;prenoms;date_naissance;lieu_naissance\nNouveau;Jean;31/02/2000;Brest\n"


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("candidats.csv", content, content_type="text/csv")


def candidate(w: Any) -> list[int]:
    return [w.ours.candidate.pk]


def pathway(w: Any) -> list[int]:
    """The candidate and one of their pathways (made for the row if they have none)."""
    from tests.factories import make_pathway

    found = w.ours.candidate.pathways.first() or make_pathway(candidate=w.ours.candidate)
    return [w.ours.candidate.pk, found.pk]


def _portfolio(w: Any) -> Any:
    """A DP of our candidate (made for the row: a PDF under MEDIA_ROOT)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from titrepro.candidates.models import ProfessionalPortfolio
    from titrepro.catalogue.models import Title

    found = ProfessionalPortfolio.objects.filter(candidate=w.ours.candidate).first()
    if found is None:
        found = ProfessionalPortfolio.objects.create(
            candidate=w.ours.candidate,
            title=Title.objects.order_by("pk")[0],
            file=SimpleUploadedFile("dp.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"),
            declaration_on_honour=True,
            signed_on=timezone.localdate(),
        )
    return found


def candidate_portfolio(w: Any) -> list[int]:
    return [w.ours.candidate.pk, _portfolio(w).pk]


def own_portfolio(w: Any) -> list[int]:
    return [_portfolio(w).pk]


def vae(w: Any) -> list[int]:
    return [w.ours.vae.pk]


def accommodation(w: Any) -> list[int]:
    return [w.ours.accommodation.pk]


def import_job(w: Any) -> list[str]:
    """A checked, valid pending import of the actor in our centre (made directly: a wrong role cannot send one)."""
    job = ImportJob.objects.create(
        user=w.actor,
        centre=w.ours.centre,
        filename="candidats.csv",
        content=GOOD,
        status=ImportStatus.CHECKED,
        report={"valid": True, "rows": 1, "to_create": 1, "already_present": 0, "pathways_to_create": 0},
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return [str(job.pk)]


def decision(yes: str) -> Any:
    return lambda w: {"decision": yes, "decided_on": w.ours.vae.filed_on.isoformat(), "reason": ""}


def api_decision(w: Any) -> dict[str, Any]:
    return {"decision": True, "on": w.ours.vae.filed_on.isoformat(), "reason": ""}


class TestSpacesPermissions(PermissionMatrix):
    template_prefix = "candidates/"
    rows: ClassVar[list[Row]] = [
        # Centre staff.
        Row("spaces:centre_candidate_list", CENTRE, is_list=True),
        Row("spaces:centre_candidate_detail", CENTRE, args=candidate),
        Row("spaces:centre_candidate_new", CENTRE, is_list=True),
        Row("spaces:centre_import", CENTRE, is_list=True),
        # A pending import: its sender only (another centre's staff: 404), confirmed by POST.
        Row("spaces:centre_import_job", CENTRE, args=import_job),
        Row(
            "spaces:centre_import_job",
            CENTRE,
            method="post",
            args=import_job,
            body=lambda w: {"confirm": "1"},
            status=302,
        ),
        Row("spaces:centre_export", CENTRE, query=lambda w: {"centre": w.ours.centre.pk}),
        Row("spaces:centre_candidate_edit", CENTRE, args=candidate),
        Row(
            "spaces:centre_candidate_edit",
            CENTRE,
            method="post",
            args=candidate,
            body=lambda w: {
                "birth_name": w.ours.candidate.birth_name,
                "given_names": w.ours.candidate.given_names,
                "birth_date": w.ours.candidate.birth_date.isoformat(),
                "birth_place": "Corrigé",
            },
            status=302,
        ),
        Row("spaces:centre_pathway_add", CENTRE, args=candidate),
        Row("spaces:centre_portfolio_file", CENTRE, args=candidate_portfolio),
        Row("spaces:centre_pathway_end", CENTRE, args=pathway),
        Row("spaces:centre_assessment_add", CENTRE, args=candidate),
        Row("spaces:centre_vae_file", CENTRE, args=candidate),
        Row("spaces:centre_accommodation_request", CENTRE, args=candidate),
        Row(
            "spaces:centre_accommodation_request",
            CENTRE,
            method="post",
            args=candidate,
            body=lambda w: {"kinds": ["extra_time"], "details": "Tiers temps"},
            status=302,
        ),
        # The candidate.
        Row("spaces:candidate_home", CANDIDATE, is_list=True),
        Row("spaces:candidate_portfolio", CANDIDATE, is_list=True),
        Row("spaces:candidate_portfolio_file", CANDIDATE, args=own_portfolio),
        # Authority agents.
        Row("spaces:authority_vae_list", AUTHORITY, is_list=True),
        Row("spaces:authority_candidate_detail", AUTHORITY | Audience.NATIONAL, args=candidate),
        Row("spaces:authority_portfolio_file", AUTHORITY | Audience.NATIONAL, args=candidate_portfolio),
        Row("spaces:authority_vae_decide", AUTHORITY, args=vae),
        Row("spaces:authority_vae_decide", AUTHORITY, method="post", args=vae, body=decision("admissible"), status=302),
        Row("spaces:authority_accommodation_list", AUTHORITY, is_list=True),
        Row("spaces:authority_accommodation_decide", AUTHORITY, args=accommodation),
        Row(
            "spaces:authority_accommodation_decide",
            AUTHORITY,
            method="post",
            args=accommodation,
            body=decision("granted"),
            status=302,
        ),
        # API.
        Row("api:candidates_list", SEES_CANDIDATES, is_list=True, refused=200),
        Row("api:candidates_detail", SEES_CANDIDATES, args=candidate, refused=404),
        Row(
            "api:candidates_import",
            CENTRE,
            method="post",
            multipart=True,
            body=lambda w: {"centre": w.ours.centre.code, "file": upload(GOOD)},
        ),
        Row("api:candidates_vae_decide", AUTHORITY, method="post", args=vae, body=api_decision),
        Row("api:candidates_accommodation_decide", AUTHORITY, method="post", args=accommodation, body=api_decision),
    ]

    def test_national_admin_sees_every_centre(self, client: Client, world: World) -> None:
        login_as(client, world.admin)
        content = client.get(reverse("spaces:centre_candidate_list")).content.decode()
        assert world.ours.candidate.birth_name in content
        assert world.theirs.candidate.birth_name in content

    def test_api_list_is_scoped(self, client: Client, world: World) -> None:
        login_as(client, world.theirs.staff)
        names = {c["birth_name"] for c in client.get(reverse("api:candidates_list")).json()}
        assert names == {world.theirs.candidate.birth_name}
        login_as(client, world.ours.learner)
        assert [c["id"] for c in client.get(reverse("api:candidates_list")).json()] == [world.ours.candidate.pk]

    @pytest.mark.parametrize("dry_run", [False, True])
    def test_api_import_checks_the_whole_file_first(self, client: Client, world: World, dry_run: bool) -> None:
        url = reverse("api:candidates_import")
        login_as(client, world.ours.staff)
        bad = client.post(url, {"centre": "HERE", "file": upload(BAD)})
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["line"] == 2
        answer = client.post(url, {"centre": "HERE", "file": upload(GOOD), "dry_run": str(dry_run).lower()})
        assert answer.status_code == 200
        assert answer.json()["committed"] is not dry_run
        assert answer.json()["to_create" if dry_run else "created"] == 1
        assert Candidate.objects.filter(birth_name="Nouveau").count() == (0 if dry_run else 1)
