"""Disabling an account revokes its API tokens (issue 11, item 1).

Whatever disables it (the admin's user page, a shell, a later service), the tokens die with
the account, so re-activating it later gives none of them back.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from titrepro.accounts.models import ApiToken


def revoke_tokens_of_disabled_account(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None or instance.is_active:
        return
    ApiToken.objects.filter(user_id=instance.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
