"""Logging in for tests: ``login_as(client, user)``, past the staff second factor.

``login_as`` = ``client.force_login(user)`` + the session key that says the
second factor was passed (``titrepro.accounts.otp.SESSION_KEY``). A staff user
logged in with ``force_login`` alone is sent to the two-factor pages by
``SecondFactorMiddleware`` (and is anonymous to the session API).
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from titrepro.accounts.otp import SESSION_KEY


def login_as(client: Client, user: Any) -> Client:
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = str(user.pk)
    session.save()
    return client
