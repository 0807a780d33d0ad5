"""Centre staff acting on a candidate of their centre: ECF results, VAE filing, accommodation requests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from tests.factories import make_candidate, make_centre, make_pathway, make_vae_application, user_with_role
from tests.helpers import login_as

from titrepro.accounts.models import RoleKind
from titrepro.audit.models import AuditEntry
from titrepro.candidates import services
from titrepro.candidates.models import Accommodation, Candidate, InTrainingAssessment, Pathway, VaeApplication
from titrepro.catalogue.models import CCP, Title
from titrepro.catalogue.services import LoadReport
from titrepro.core.refusals import Refused

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return str(response.content.decode()).replace("&#x27;", "'").replace("&rsquo;", "’")


@pytest.fixture
def tssr(builtin_catalogue: LoadReport) -> Title:
    return Title.objects.get(code="TP-01351")


@pytest.fixture
def ais(builtin_catalogue: LoadReport) -> Title:
    return Title.objects.get(code="TP-01352")


@pytest.fixture
def candidate() -> Candidate:
    return make_candidate(centre=make_centre(code="HERE"))


@pytest.fixture
def staff(client: Client, candidate: Candidate) -> Any:
    user = user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre)
    login_as(client, user)
    return user


def first_ccp(title: Title) -> CCP:
    return CCP.objects.filter(version__title=title).order_by("version__valid_from", "number").first()  # type: ignore[return-value]


# --- ECF --------------------------------------------------------------------------------


def test_staff_records_an_ecf_result(client: Client, staff: Any, candidate: Candidate, tssr: Title) -> None:
    pathway = make_pathway(candidate=candidate, title=tssr)
    ccp = first_ccp(tssr)
    url = reverse("spaces:centre_assessment_add", args=[candidate.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert f"CCP {ccp.number} – {ccp.label} ({ccp.version.label})" in page(form)
    day = timezone.localdate() - timedelta(days=3)
    response = client.post(url, {"pathway": pathway.pk, "ccp": ccp.pk, "result": "passed", "assessed_on": day})
    assert response.status_code == 302
    assert response["Location"] == reverse("spaces:centre_candidate_detail", args=[candidate.pk])
    assessment = InTrainingAssessment.objects.get()
    assert (assessment.pathway, assessment.ccp, assessment.result, assessment.assessed_on) == (
        pathway,
        ccp,
        "passed",
        day,
    )
    entry = AuditEntry.objects.get(action="assessment.recorded")
    assert entry.actor == staff
    assert entry.object_id == str(assessment.pk)
    assert entry.data["ccp"] == ccp.number
    detail = client.get(response["Location"])
    assert url in page(detail)  # the detail page links to the form
    # The same result again: refused, nothing written.
    again = client.post(url, {"pathway": pathway.pk, "ccp": ccp.pk, "result": "passed", "assessed_on": day})
    assert again.status_code == 200
    assert gettext("This ECF result is already recorded.") in page(again)
    assert InTrainingAssessment.objects.count() == 1


def test_ecf_in_the_future_is_refused(client: Client, staff: Any, candidate: Candidate, tssr: Title) -> None:
    pathway = make_pathway(candidate=candidate, title=tssr)
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = reverse("spaces:centre_assessment_add", args=[candidate.pk])
    response = client.post(
        url, {"pathway": pathway.pk, "ccp": first_ccp(tssr).pk, "result": "failed", "assessed_on": tomorrow}
    )
    assert response.status_code == 200
    assert gettext("Error:") in page(response)
    assert gettext("The date of the ECF cannot be in the future.") in page(response)
    assert 'id="error-summary"' in page(response)
    assert not InTrainingAssessment.objects.exists()
    assert not AuditEntry.objects.filter(action="assessment.recorded").exists()


def test_ecf_of_a_ccp_of_another_title_is_refused(
    client: Client, staff: Any, candidate: Candidate, tssr: Title, ais: Title
) -> None:
    pathway = make_pathway(candidate=candidate, title=tssr)
    make_pathway(candidate=candidate, title=ais)  # so an AIS CCP is offered on the page
    other = first_ccp(ais)
    url = reverse("spaces:centre_assessment_add", args=[candidate.pk])
    today = timezone.localdate()
    response = client.post(url, {"pathway": pathway.pk, "ccp": other.pk, "result": "passed", "assessed_on": today})
    assert response.status_code == 200
    expected = gettext("CCP %(number)s of %(other)s is not a CCP of the title of this route (%(title)s).") % {
        "number": other.number,
        "other": "TP-01352",
        "title": "TP-01351",
    }
    assert expected in page(response)
    assert not InTrainingAssessment.objects.exists()


def test_ecf_page_offers_only_this_candidates_routes(
    client: Client, staff: Any, candidate: Candidate, tssr: Title
) -> None:
    elsewhere = make_pathway(candidate=make_candidate(), title=tssr)
    url = reverse("spaces:centre_assessment_add", args=[candidate.pk])
    response = client.post(
        url,
        {"pathway": elsewhere.pk, "ccp": first_ccp(tssr).pk, "result": "passed", "assessed_on": timezone.localdate()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pathway"]
    assert not InTrainingAssessment.objects.exists()


def test_record_assessment_service_checks_scope(candidate: Candidate, tssr: Title) -> None:
    pathway = make_pathway(candidate=candidate, title=tssr)
    ccp = first_ccp(tssr)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.record_assessment(
            user_with_role(RoleKind.CANDIDATE, candidate=candidate), pathway, ccp, "passed", today
        )
    other_staff = user_with_role(RoleKind.CENTRE_STAFF, centre=make_centre())
    with pytest.raises(Http404):
        services.record_assessment(other_staff, pathway, ccp, "passed", today)
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre)
    with pytest.raises(Refused):
        services.record_assessment(staff, pathway, ccp, "brilliant", today)
    assert not InTrainingAssessment.objects.exists()
    assert services.record_assessment(staff, pathway, ccp, "failed", today).result == "failed"


# --- VAE ----------------------------------------------------------------------------------


def test_staff_files_a_vae_application(client: Client, staff: Any, candidate: Candidate, tssr: Title) -> None:
    url = reverse("spaces:centre_vae_file", args=[candidate.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(url, {"title": "TP-01351", "filed_on": today.isoformat()})
    assert response.status_code == 302
    application = VaeApplication.objects.get()
    assert (application.candidate, application.title, application.filed_on) == (candidate, tssr, today)
    assert AuditEntry.objects.filter(action="vae.filed", object_id=str(application.pk), actor=staff).exists()


def test_vae_yearly_limit_is_refused_in_french(client: Client, staff: Any, candidate: Candidate, tssr: Title) -> None:
    today = timezone.localdate()
    # The same person, candidate of another centre, already filed for this title this year.
    twin = make_candidate(
        centre=make_centre(),
        birth_name=candidate.birth_name,
        given_names=candidate.given_names,
        birth_date=candidate.birth_date,
    )
    make_vae_application(candidate=twin, title=tssr, filed_on=date(today.year, 1, 1))
    url = reverse("spaces:centre_vae_file", args=[candidate.pk])
    response = client.post(url, {"title": "TP-01351", "filed_on": today.isoformat()})
    assert response.status_code == 200
    assert gettext("One VAE application per year for the same certification.") in page(response)
    assert VaeApplication.objects.filter(candidate=candidate).count() == 0
    assert not AuditEntry.objects.filter(action="vae.filed").exists()


def test_vae_filed_in_the_future_is_refused(client: Client, staff: Any, candidate: Candidate, tssr: Title) -> None:
    url = reverse("spaces:centre_vae_file", args=[candidate.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"title": "TP-01351", "filed_on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert gettext("The date cannot be in the future.") in page(response)
    assert not VaeApplication.objects.exists()


# --- accommodations -------------------------------------------------------------------------


def test_staff_requests_an_accommodation(client: Client, staff: Any, candidate: Candidate) -> None:
    url = reverse("spaces:centre_accommodation_request", args=[candidate.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'type="checkbox"' in page(form)
    opinion = timezone.localdate() - timedelta(days=10)
    response = client.post(
        url,
        {"kinds": ["extra_time", "adapted_room"], "details": "Tiers temps", "medical_opinion_on": opinion.isoformat()},
    )
    assert response.status_code == 302
    accommodation = Accommodation.objects.get()
    assert accommodation.candidate == candidate
    assert accommodation.kinds == ["extra_time", "adapted_room"]
    assert accommodation.details == "Tiers temps"
    assert accommodation.medical_opinion_on == opinion
    assert accommodation.requested_on == timezone.localdate()
    assert accommodation.status == "requested"
    entry = AuditEntry.objects.get(action="accommodation.requested")
    assert entry.actor == staff
    assert entry.data == {"from": None, "to": "requested", "kinds": ["extra_time", "adapted_room"]}


def test_accommodation_request_is_refused_in_french(client: Client, staff: Any, candidate: Candidate) -> None:
    url = reverse("spaces:centre_accommodation_request", args=[candidate.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"kinds": ["teleportation"], "medical_opinion_on": tomorrow.isoformat()})
    assert response.status_code == 200
    text = page(response)
    assert gettext("Error:") in text
    assert gettext("The date cannot be in the future.") in text
    assert 'href="#id_kinds_0"' in text  # the summary links to the first checkbox
    empty = client.post(url, {})
    assert empty.status_code == 200
    assert empty.context["form"].errors["kinds"]
    assert 'id="error-summary"' in page(empty)
    assert not Accommodation.objects.exists()


# --- writes are scoped too ------------------------------------------------------------------


def test_posts_to_another_centres_candidate_are_404_and_write_nothing(
    client: Client, candidate: Candidate, tssr: Title
) -> None:
    pathway = make_pathway(candidate=candidate, title=tssr)
    login_as(client, user_with_role(RoleKind.CENTRE_STAFF, centre=make_centre(code="THERE")))
    today = timezone.localdate().isoformat()
    posts = [
        (
            "spaces:centre_assessment_add",
            {"pathway": pathway.pk, "ccp": first_ccp(tssr).pk, "result": "passed", "assessed_on": today},
        ),
        ("spaces:centre_vae_file", {"title": "TP-01351", "filed_on": today}),
        ("spaces:centre_accommodation_request", {"kinds": ["extra_time"]}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[candidate.pk]), data).status_code == 404, name
    login_as(client, user_with_role(RoleKind.AUTHORITY_AGENT, authority=candidate.centre.authority))
    for name, data in posts:
        assert client.post(reverse(name, args=[candidate.pk]), data).status_code == 403, name
    assert not InTrainingAssessment.objects.exists()
    assert not VaeApplication.objects.exists()
    assert not Accommodation.objects.exists()
    assert Pathway.objects.count() == 1


def test_the_extra_time_is_a_fraction_of_the_durations(client: Client, staff: Any, candidate: Candidate) -> None:
    url = reverse("spaces:centre_accommodation_request", args=[candidate.pk])
    wrong = client.post(url, {"kinds": ["extra_time"], "extra_time": "3/2"})
    assert wrong.status_code == 200
    assert not Accommodation.objects.exists()
    response = client.post(url, {"kinds": ["extra_time"], "extra_time": "1/3", "extra_time_orals": "on"})
    assert response.status_code == 302
    accommodation = Accommodation.objects.get()
    assert (accommodation.extra_time, accommodation.extra_time_orals) == ("1/3", True)
    entry = AuditEntry.objects.get(action="accommodation.requested")
    assert entry.data["extra_time"] == "1/3"
