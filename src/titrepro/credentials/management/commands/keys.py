"""``titrepro keys init [--dir DIR]`` and ``titrepro keys show``: the authorities' signing keys.

``init`` makes the development PKI (``credentials.keys.init_keys``): a root CA, then a key and a certificate
for each authority in the database that has none; it prints the files written. It refuses to run in
production, whose authorities are given real keys (docs/decisions/0041). ``show`` lists the authorities and
whether each has a usable signing key, and the public Multikey of its credential key (Ed25519).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.core.dating import french_date
from titrepro.credentials import data_integrity, keys
from titrepro.directory.models import Authority


class Command(BaseCommand):
    help = "Make development signing keys for the authorities, or show which authorities can sign."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{init,show}")
        init = actions.add_parser("init", help="make a development CA and a key for each authority without one")
        init.add_argument("--dir", type=Path, help="the keys folder (default: TITREPRO_KEYS_DIR)")
        actions.add_parser("show", help="list the authorities and whether each has a usable signing key")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if options["action"] == "init":
            self.init(options["dir"] or keys.keys_dir())
        else:
            self.show()

    def init(self, folder: Path) -> None:
        if settings.ENV == "production":
            raise CommandError(
                _("Development keys are refused in production: put each authority's own key in %(folder)s.")
                % {"folder": folder}
            )
        try:
            written = keys.init_keys(Authority.objects.values_list("departement", "name"), folder=folder)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        for path in written:
            self.stdout.write(_("Written: %(path)s") % {"path": path})
        if not written:
            self.stdout.write(_("Nothing to write: every authority has its files in %(folder)s.") % {"folder": folder})

    def show(self) -> None:
        for authority in Authority.objects.all():
            try:
                key = keys.signing_key(authority.departement)
            except keys.NoSigningKey as error:
                state = _("no usable signing key (%(problem)s)") % {"problem": error}
            else:
                state = _("%(subject)s, valid until %(date)s") % {
                    "subject": key.certificate.subject.rfc4514_string(),
                    "date": french_date(key.certificate.not_valid_after_utc),
                }
            try:
                credential = data_integrity.multikey(keys.credential_key(authority.departement).public_key)
            except keys.NoSigningKey as error:
                credential = _("no usable credential key (%(problem)s)") % {"problem": error}
            else:
                credential = _("credential key %(multikey)s") % {"multikey": credential}
            self.stdout.write(f"{authority.departement} {authority.name}: {state}; {credential}")
