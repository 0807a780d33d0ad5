"""``titrepro record CANDIDATE_ID --title CODE [--on YYYY-MM-DD]``: a candidate's record and standing, as JSON.

What the candidate holds of the title (the CCPs, the title, the CCS, each with its day and its source — the
validated PV — and, for a withdrawn one, the day and reason of the withdrawal), the failures and absences the
resit rules count, and the standing the rules engine computes from that record (``titrepro standing`` takes a
situation written by hand; this one reads it from the database).
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from titrepro.candidates.models import Candidate, ExamOutcome, Holding
from titrepro.catalogue.models import Title
from titrepro.catalogue.queries import spec_from_database
from titrepro.catalogue.standing import to_json
from titrepro.rules import standing
from titrepro.sessions import facts


class Command(BaseCommand):
    help = "Print a candidate's holdings, outcomes and standing for a title (JSON)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("candidate", type=int, help="the candidate's id")
        parser.add_argument("--title", required=True, help="code of the title, e.g. TP-01351")
        parser.add_argument("--on", type=date.fromisoformat, help="the day of the standing (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        candidate = Candidate.objects.filter(pk=options["candidate"]).first()
        if candidate is None:
            raise CommandError(_("Unknown candidate %(id)s.") % {"id": options["candidate"]}, returncode=2)
        code = options["title"]
        if not Title.objects.filter(code=code).exists():
            raise CommandError(_("unknown title %(code)s") % {"code": code}, returncode=2)
        on = options["on"] or timezone.localdate()
        situation = facts.situation(candidate, code, on)
        result = standing.compute_standing(standing.TitleIndex(spec_from_database(code)), situation)
        holdings = Holding.objects.filter(candidate=candidate, version__title__code=code).select_related(
            "version", "ccp", "ccs"
        )
        outcomes = ExamOutcome.objects.filter(candidate=candidate, version__title__code=code).select_related("version")
        answer = {
            "candidate": {"id": candidate.pk, "name": str(candidate)},
            "holdings": [
                {
                    "kind": h.kind,
                    "version": h.version.label,
                    "ccp": h.ccp.number if h.ccp else None,
                    "ccs": h.ccs.code if h.ccs else None,
                    "obtained_on": h.obtained_on.isoformat(),
                    "source": h.source,
                    "withdrawn_on": h.withdrawn_on.isoformat() if h.withdrawn_on else None,
                    "withdraw_reason": h.withdraw_reason,
                }
                for h in holdings.order_by("obtained_on", "pk")
            ],
            "outcomes": [
                {
                    "kind": o.kind,
                    "session_kind": o.session_kind,
                    "version": o.version.label,
                    "on": o.on.isoformat(),
                    "source": o.source,
                    "voided_on": o.voided_on.isoformat() if o.voided_on else None,
                }
                for o in outcomes.order_by("on", "pk")
            ],
            "standing": to_json(result, situation.route.value if situation.route else None),
        }
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
