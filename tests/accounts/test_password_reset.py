"""Password reset by e-mail (issue 9, item 7): Django's mail (locmem outbox), the same answer for
an unknown address, never for a disabled account, a single-use link, throttled like the login."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from titrepro.accounts import throttle
from titrepro.accounts.services import is_disabled
from titrepro.audit.models import AuditEntry

NEW_PASSWORD = "une-phrase-de-passe-neuve-2026"


def ask(client: Client, email: str) -> Any:
    return client.post(reverse("accounts:password_reset"), {"email": email})


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found is not None, message.body
    return found.group(1)


def choose(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    page = client.get(link, follow=True)  # Django swaps the token for a session key and redirects
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {
            "new_password1": password,
            "new_password2": password,
        },
    )


@pytest.fixture
def juror(world: dict[str, Any]) -> Any:
    user = world["juror"]
    user.email = "juror@example.org"
    user.save()
    return user


def test_the_login_page_links_to_the_reset(client: Client, db: None) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'id="forgot-password" href="{reverse("accounts:password_reset")}"' in body
    assert gettext("Forgot your password?") in body


def test_a_known_address_gets_a_link_that_sets_the_password(client: Client, juror: Any) -> None:
    response = ask(client, "Juror@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["juror@example.org"]
    done = choose(client, link_in(mail.outbox[0]))
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    juror.refresh_from_db()
    assert juror.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="account.password_reset", object_id=str(juror.pk)).count() == 1


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, juror: Any) -> None:
    known = ask(client, "juror@example.org")
    unknown = ask(Client(), "nobody-here@example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [["juror@example.org"]]


def test_the_link_works_once(client: Client, juror: Any) -> None:
    ask(client, "juror@example.org")
    link = link_in(mail.outbox[0])
    assert choose(client, link).status_code == 302
    again = Client()
    page = again.get(link, follow=True)
    assert page.context["validlink"] is False
    assert 'id="invalid-link"' in page.content.decode()
    choose(again, link, "une-autre-phrase-de-passe-2026")
    juror.refresh_from_db()
    assert juror.check_password(NEW_PASSWORD)


def test_a_disabled_account_gets_no_mail_and_stays_disabled(client: Client, juror: Any) -> None:
    juror.is_active = False
    juror.save()
    assert is_disabled(juror)
    response = ask(client, "juror@example.org")
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    juror.refresh_from_db()
    assert not juror.is_active


def test_a_link_sent_before_the_account_was_disabled_no_longer_works(client: Client, juror: Any) -> None:
    ask(client, "juror@example.org")
    link = link_in(mail.outbox[0])
    juror.is_active = False
    juror.save()
    page = client.get(link, follow=True)
    assert page.context["validlink"] is False
    choose(client, link)
    juror.refresh_from_db()
    assert not juror.check_password(NEW_PASSWORD)
    assert not juror.is_active


def test_requests_for_one_address_are_throttled(client: Client, juror: Any) -> None:
    for _ in range(throttle.FREE_FAILURES):
        assert ask(Client(), "juror@example.org").status_code == 302
    refused = ask(Client(), "JUROR@example.org")
    assert refused.status_code == 429
    assert len(mail.outbox) == throttle.FREE_FAILURES
    # An unknown address is throttled the same way: the answer tells nothing of the account.
    for _ in range(throttle.FREE_FAILURES):
        ask(Client(), "ghost@example.org")
    assert ask(Client(), "ghost@example.org").status_code == 429


def test_requests_from_one_address_are_throttled(client: Client, db: None) -> None:
    for number in range(throttle.ADDRESS_FAILURES):
        assert ask(client, f"someone{number}@example.org").status_code == 302
    assert ask(client, "one-more@example.org").status_code == 429
