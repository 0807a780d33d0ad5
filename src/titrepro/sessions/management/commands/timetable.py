"""``titrepro timetable SESSION_NUMBER [--plan] [--seconds N] [--json]``: a session's planning.

Prints the saved planning (day, time, candidate, part, workstation, jury members); ``--plan`` computes it
first (``sessions.services.plan_session``, the operator acting as the system); ``--json`` prints it in a
machine-readable form. A session without a possible planning prints the French explanation and exits 1.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.core.refusals import Refused
from titrepro.rules.timetable_solver import Settings
from titrepro.sessions import services, timetable
from titrepro.sessions.models import ExamSession, Timetable


class Command(BaseCommand):
    help = "Print a session's planning, or compute it first with --plan."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("number", help="session number, e.g. 2027-069-0001")
        parser.add_argument("--plan", action="store_true", help="compute the planning first (replaces the saved one)")
        parser.add_argument("--seconds", type=float, default=10.0, help="time limit of the solver (default 10)")
        parser.add_argument("--seed", type=int, default=Settings().seed, help="seed of the solver")
        parser.add_argument("--json", action="store_true", help="print the planning as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            session = ExamSession.objects.select_related("version__title").get(number=options["number"])
        except ExamSession.DoesNotExist:
            raise CommandError(_("Unknown session %(number)s.") % {"number": options["number"]}, returncode=2) from None
        if options["plan"]:
            if not 0 < options["seconds"] <= 3600:
                raise CommandError(_("Give --seconds between 0 and 3600."), returncode=2)
            try:
                services.plan_session(
                    None, session, settings=Settings(seconds=options["seconds"], seed=options["seed"]), trusted=True
                )
            except Refused as refusal:
                if options["json"]:
                    answer = {"code": refusal.code, "reasons": list(refusal.reasons), "message": refusal.message}
                    self.stdout.write(json.dumps(answer, ensure_ascii=False))
                else:
                    self.stderr.write(refusal.message)
                sys.exit(1)
        saved = Timetable.objects.filter(session=session).first()
        if saved is None:
            raise CommandError(
                _("Session %(number)s has no planning yet: compute it with --plan.") % {"number": session.number},
                returncode=1,
            )
        rows = planning_rows(saved)
        if options["json"]:
            self.stdout.write(json.dumps(as_json(saved, rows), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Planning of session %(number)s: %(status)s, %(count)d parts, computed in %(seconds).1f s.")
            % {
                "number": session.number,
                "status": saved.get_status_display(),
                "count": len(rows),
                "seconds": saved.seconds,
            }
        )
        day = None
        for row in rows:
            if row["day"] != day:
                day = row["day"]
                self.stdout.write(f"\n{day}")
            workstation = _("workstation %(n)d") % {"n": row["workstation"]} if row["workstation"] else "—"
            jurors = ", ".join(row["jurors"]) or "—"
            self.stdout.write(
                f"  {row['start']}–{row['end']}  {row['candidate']}  {row['part']}  {workstation}  {jurors}"
            )


def planning_rows(saved: Timetable) -> list[dict[str, Any]]:
    zone = timetable.local_zone()
    rows = []
    for slot in (
        saved.slots.select_related("registration__candidate")
        .prefetch_related("jurors__member")
        .order_by("starts_at", "registration__candidate__birth_name", "position")
    ):
        start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        rows.append(
            {
                "day": start.date().isoformat(),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "starts_at": start.isoformat(),
                "ends_at": end.isoformat(),
                "registration": slot.registration_id,
                "candidate": str(slot.registration.candidate),
                "part_key": slot.part_key,
                "part": slot.label,
                "workstation": slot.workstation,
                "jurors": [str(j.member) for j in slot.jurors.all()],
                "warning_accepted": slot.warning_accepted,
            }
        )
    return rows


def as_json(saved: Timetable, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "session": saved.session.number,
        "status": saved.status,
        "computed_at": saved.computed_at.isoformat(),
        "edited": saved.edited,
        "end_minute": saved.end_minute,
        "end_bound": saved.end_bound,
        "gap": saved.gap,
        "spread": saved.spread,
        "load_gap": saved.load_gap,
        "seconds": saved.seconds,
        "seed": saved.seed,
        "slots": rows,
    }
