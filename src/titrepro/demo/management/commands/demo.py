"""``titrepro demo``: the demonstration world, and the accounts to log in with.

``titrepro demo codes`` prints the current second-factor code of each demonstration staff account,
so they log in without a phone. Both refuse outside development (the password and secrets are public).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from titrepro.demo.world import PASSWORD, build, codes


class Command(BaseCommand):
    help = (
        "Create the demonstration world (development only) and print its accounts; "
        "`demo codes` prints the staff accounts' current two-factor codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            choices=["build", "codes"],
            default="build",
            help="build (default): the world and its accounts; codes: the current two-factor codes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "codes":
            self._codes()
            return
        accounts = build()
        self.stdout.write(f"Demonstration accounts (password for all: {PASSWORD})")
        width = max(len(a.email) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.role}: {account.scope}")
        self.stdout.write(
            "Staff accounts set up two-factor authentication at their first login: `titrepro demo codes`"
            " prints their current codes, or add a secret below to any TOTP application (development only)."
        )
        for account in accounts:
            if account.totp_secret:
                self.stdout.write(f"  {account.email.ljust(width)}  {account.totp_secret}  {account.otpauth}")

    def _codes(self) -> None:
        found = list(codes())
        if not found:
            self.stdout.write("No demonstration staff account: run `titrepro demo` first.")
            return
        width = max(len(email) for email, _code in found)
        self.stdout.write("Current two-factor codes (each changes every 30 seconds and works once):")
        for email, code in found:
            self.stdout.write(f"  {email.ljust(width)}  {code}")
