"""How a test of a session is conducted: is the jury in the room, does the candidate sit at a workstation.

A session timetable needs both for every timed part of a test: the jury members must
be there for an interview (R-63: at least two of them), not for the unsupervised
preparation of a practical assessment; a workstation (a computer post) is booked
for a professional questionnaire, not for an interview.

The catalogue file may say it per modality and per part (``jury``, ``workstation``,
docs/catalogue-format.md); what it leaves out comes from here. Pure Python on
purpose: the loader and the migration that filled the existing rows
(0004_modality_conduct) read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Conduct:
    """The two facts a timetable reads; the names are those of the model fields."""

    jury_present: bool
    uses_workstation: bool


# What each kind of modality is, unless its catalogue entry says otherwise. The keys are
# the values of models.ModalityKind (a test keeps them equal).
DEFAULT_CONDUCT: MappingProxyType[str, Conduct] = MappingProxyType(
    {
        # Manipulations on machines, then situations before the jury.
        "practical_assessment": Conduct(jury_present=True, uses_workstation=True),
        # Answered on a post, under the supervision of the centre, not of the jury.
        "professional_questionnaire": Conduct(jury_present=False, uses_workstation=True),
        # Face to face with the jury, without a post.
        "technical_interview": Conduct(jury_present=True, uses_workstation=False),
        "final_interview": Conduct(jury_present=True, uses_workstation=False),
        "upstream_project": Conduct(jury_present=True, uses_workstation=False),
        "outputs_questioning": Conduct(jury_present=True, uses_workstation=False),
    }
)


def default_conduct(kind: str) -> Conduct:
    """The conduct of a modality of this kind whose catalogue entry says nothing about it."""
    return DEFAULT_CONDUCT[kind]


def resolve_conduct(inherited: Conduct, jury: bool | None, workstation: bool | None) -> Conduct:
    """The conduct of a catalogue entry: what it writes itself, the rest inherited.

    A modality inherits from its kind (``default_conduct``), a part from its modality's
    resolved conduct; ``None`` means the key is absent.
    """
    return Conduct(
        jury_present=inherited.jury_present if jury is None else jury,
        uses_workstation=inherited.uses_workstation if workstation is None else workstation,
    )


def conduct_keys(conduct: Conduct, inherited: Conduct) -> dict[str, bool]:
    """The ``jury`` and ``workstation`` keys an export writes: only those that differ from the inherited value."""
    keys: dict[str, bool] = {}
    if conduct.jury_present != inherited.jury_present:
        keys["jury"] = conduct.jury_present
    if conduct.uses_workstation != inherited.uses_workstation:
        keys["workstation"] = conduct.uses_workstation
    return keys
