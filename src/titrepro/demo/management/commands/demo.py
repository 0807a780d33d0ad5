"""``titrepro demo``: the demonstration world, and the accounts to log in with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from titrepro.demo.world import PASSWORD, build


class Command(BaseCommand):
    help = "Create the demonstration world (development only) and print its accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = build()
        self.stdout.write(f"Demonstration accounts (password for all: {PASSWORD})")
        width = max(len(a.email) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.role}: {account.scope}")
        self.stdout.write("Staff accounts set up two-factor authentication at their first login.")
