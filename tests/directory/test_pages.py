"""The directory pages do what they say: each form goes through its service and shows refusals."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from tests.factories import V2_END, CentreFactory, ExperienceFactory, JuryMemberFactory
from tests.helpers import login_as

from titrepro.audit.services import history
from titrepro.directory.models import Approval, ApprovalStatus, DeclaredLink, Habilitation

from .conftest import World


def test_agent_records_an_approval_and_sees_it_in_the_history(client: Client, world: World):
    login_as(client, world.agent)
    url = reverse("directory:approval_grant", args=[world.centre.pk])
    response = client.post(
        url,
        {
            "version": world.approval.version_id,
            "site_address": "3 quai du Rhône",
            "granted_on": "2025-04-01",
            "valid_until": "2040-01-01",
            "reason": "Dossier complet",
        },
    )
    approval = Approval.objects.get(site_address="3 quai du Rhône")
    assert response.status_code == 302
    assert approval.valid_until == V2_END
    page = client.get(response["Location"]).content.decode()
    assert "Dossier complet" in page
    assert "3 quai du Rhône" in client.get(reverse("directory:centre_detail", args=[world.centre.pk])).content.decode()


def test_agent_form_errors_are_shown(client: Client, world: World):
    login_as(client, world.agent)
    response = client.post(reverse("directory:approval_grant", args=[world.centre.pk]), {"site_address": ""})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not Approval.objects.exclude(pk=world.approval.pk).exists()


def test_agent_suspends_then_reinstates_then_withdraws(client: Client, world: World):
    login_as(client, world.agent)
    pk = world.approval.pk
    assert client.post(reverse("directory:approval_suspend", args=[pk]), {"reason": "Contrôle"}).status_code == 302
    response = client.post(reverse("directory:approval_suspend", args=[pk]), {"reason": "Encore"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert "Seul un agrément actif peut être suspendu" in response.content.decode()
    assert client.post(reverse("directory:approval_reinstate", args=[pk]), {"reason": "Conforme"}).status_code == 302
    response = client.post(
        reverse("directory:approval_withdraw", args=[pk]),
        {"withdrawn_on": "2025-09-01", "reapply_banned_until": "2028-01-01", "reason": "Fraude"},
    )
    assert response.status_code == 400  # a ban of more than two years
    response = client.post(
        reverse("directory:approval_withdraw", args=[pk]),
        {"withdrawn_on": "2025-09-01", "reapply_banned_until": "2027-09-01", "reason": "Fraude"},
    )
    assert response.status_code == 302
    world.approval.refresh_from_db()
    assert world.approval.status == ApprovalStatus.WITHDRAWN
    assert [e.action for e in history(world.approval)] == [
        "approval.suspended",
        "approval.reinstated",
        "approval.withdrawn",
    ]
    page = client.get(reverse("directory:approval_detail", args=[pk])).content.decode()
    assert reverse("directory:approval_suspend", args=[pk]) not in page


def test_habilitation_refusal_shows_the_rule(client: Client, world: World):
    novice = JuryMemberFactory.create(authority=world.member.authority)
    ExperienceFactory.create(member=novice, title=world.title, start=datetime.date(2023, 6, 1))
    login_as(client, world.agent)
    response = client.post(
        reverse("directory:habilitation_grant", args=[novice.pk]),
        {"title": world.title.pk, "granted_on": "2025-06-01"},
    )
    assert response.status_code == 400
    assert "R-61" in response.content.decode()
    assert not Habilitation.objects.filter(member=novice).exists()


def test_habilitation_granted_and_ended_from_the_pages(client: Client, world: World):
    member = JuryMemberFactory.create(authority=world.member.authority)
    ExperienceFactory.create(member=member, title=world.title, start=datetime.date(2015, 6, 1))
    login_as(client, world.agent)
    response = client.post(
        reverse("directory:habilitation_grant", args=[member.pk]),
        {"title": world.title.pk, "granted_on": "2025-06-01", "reason": "Session d’information suivie"},
    )
    assert response.status_code == 302
    habilitation = Habilitation.objects.get(member=member)
    assert habilitation.valid_until == V2_END
    response = client.post(
        reverse("directory:habilitation_end", args=[habilitation.pk]), {"ended_on": "2025-07-01", "reason": "Demande"}
    )
    assert response.status_code == 302
    page = client.get(reverse("directory:jury_member_detail", args=[member.pk])).content.decode()
    assert "Session d’information suivie" in page
    assert "Demande" in page


def test_jury_member_manages_own_profile(client: Client, world: World):
    login_as(client, world.member_user)
    assert client.post(reverse("directory:jury_profile"), {"phone": "04 72 10 20 30"}).status_code == 302
    world.member.refresh_from_db()
    assert world.member.phone == "04 72 10 20 30"
    response = client.post(
        reverse("directory:jury_experience_add"),
        {"job": "Technicienne réseau", "employer": "ACME", "start": "2019-01-01", "end": "2018-01-01"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("directory:jury_experience_add"),
        {"job": "Technicienne réseau", "employer": "ACME", "start": "2019-01-01", "title": world.title.pk},
    )
    assert response.status_code == 302
    response = client.post(reverse("directory:jury_link_add"), {"kind": "training_provider", "label": "Organisme"})
    assert response.status_code == 400  # the provider is needed
    response = client.post(reverse("directory:jury_link_add"), {"kind": "personal", "label": "Ma cousine"})
    assert response.status_code == 302
    link = DeclaredLink.objects.get(label="Ma cousine")
    page = client.get(reverse("directory:jury_profile")).content.decode()
    assert "Technicienne réseau" in page
    assert "Ma cousine" in page
    assert client.post(reverse("directory:jury_link_remove", args=[link.pk]), {}).status_code == 302
    assert not DeclaredLink.objects.filter(pk=link.pk).exists()
    assert [e.action for e in history(world.member)] == [
        "jury_member.profile_updated",
        "jury_member.experience_added",
        "declared_link.added",
        "declared_link.removed",
    ]


def test_the_centre_page_lists_its_staff_accounts_with_the_reset_of_a_lost_authenticator(
    client: Client, world: World
) -> None:
    from tests.factories import centre_staff, user_with_role

    from titrepro.accounts.models import RoleKind

    invited = user_with_role(RoleKind.CENTRE_STAFF, centre=world.centre, email="pas-encore@exemple.fr")
    invited.roles.update(pending=True)  # not accepted yet: no account of the centre
    elsewhere = centre_staff(CentreFactory.create(authority=world.centre.authority))
    login_as(client, world.agent)
    page = client.get(reverse("directory:centre_detail", args=[world.centre.pk])).content.decode()
    reset = reverse("accounts:device_reset", args=[world.staff.pk])
    assert f'href="{reset}"' in page
    assert world.staff.email in page
    assert reverse("accounts:device_reset", args=[invited.pk]) not in page
    assert reverse("accounts:device_reset", args=[elsewhere.pk]) not in page
    assert client.get(reset).status_code == 200
    login_as(client, world.other_agent)
    assert client.get(reset).status_code == 404  # the staff of another authority's centre
    login_as(client, elsewhere)
    assert client.get(reset).status_code == 403  # centre staff reset no one
