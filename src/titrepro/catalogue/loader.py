"""Read a catalogue YAML file into a validated ``TitleDoc``, with line numbers.

The file is composed into YAML nodes (so every value keeps its line), turned
into plain data where every scalar stays text (pydantic does the typing, so a
date such as 2023-02-30 gets a clear error instead of a parser crash), then
validated by the schema and by the cross-references the schema cannot see.
Every problem is reported at once, each naming the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError

from titrepro.catalogue.schema import TitleDoc

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a catalogue file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = (
            self.file if self.line is None else _("%(file)s, line %(line)d") % {"file": self.file, "line": self.line}
        )
        if self.field:
            return _("%(where)s, field %(field)s: %(message)s") % {
                "where": where,
                "field": self.field,
                "message": self.message,
            }
        return f"{where}: {self.message}"


class CatalogueFileError(Exception):
    """A catalogue file is not valid; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def field_name(location: Location) -> str:
    """Render a location as the field path a person reads: versions[1].ccps[0].number."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Reader:
    """Turn YAML nodes into plain data and remember the line of every location."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []

    def read(self, node: yaml.Node, location: Location = ()) -> Any:
        self.lines.setdefault(location, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.read(key_node, location)
                if isinstance(key, (dict, list)):
                    self._problem(key_node, location, _("a key must be a plain value"))
                    continue
                if key in result:
                    self._problem(key_node, (*location, key), _("this key is written twice"))
                    continue
                result[key] = self.read(value_node, (*location, key))
                self.lines[(*location, key)] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.read(item, (*location, index)) for index, item in enumerate(node.value)]
        if not isinstance(node, yaml.ScalarNode):  # an alias resolved to something else
            self._problem(node, location, _("unexpected YAML value"))
            return None
        if node.style is None and node.tag == "tag:yaml.org,2002:null":
            return None
        # Plain numbers stay text when the schema expects text ("2023"), and become
        # numbers when it expects numbers: pydantic decides. Mapping keys that are
        # numbers (modalities per CCP number) are converted for lookups too.
        if node.style is None and node.tag == "tag:yaml.org,2002:int" and node.value.isdigit():
            return int(node.value) if location and location[-1] == "ccp" else node.value
        return str(node.value)

    def _problem(self, node: yaml.Node, location: Location, message: str) -> None:
        self.problems.append(Problem(self.filename, node.start_mark.line + 1, field_name(location), message))

    def line_of(self, location: Location) -> int | None:
        for end in range(len(location), -1, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return None


def _value_error(reason: str, default: str) -> str:
    """A French sentence for the codes the schema's own validators raise (parse_duration, parse_flag)."""
    if "duration_format" in reason:
        return _("expected a duration written HH:MM, between quotes")
    if "flag_format" in reason:
        return _("expected true or false")
    return default


def _french(error: dict[str, Any]) -> str:
    """A French sentence for a pydantic error (English in logs and API codes stays pydantic's)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("this field is required"),
        "extra_forbidden": _("unknown field"),
        "date_from_datetime_parsing": _("expected a date written YYYY-MM-DD"),
        "date_parsing": _("expected a valid date written YYYY-MM-DD"),
        "date_type": _("expected a date written YYYY-MM-DD"),
        "int_parsing": _("expected a whole number"),
        "int_type": _("expected a whole number"),
        "string_type": _("expected text"),
        "list_type": _("expected a list"),
        "dict_type": _("expected a mapping of fields"),
        "model_type": _("expected a mapping of fields"),
        "model_attributes_type": _("expected a mapping of fields"),
        "too_short": _("must not be empty"),
        "string_too_short": _("must not be empty"),
        "string_too_long": _("is too long"),
        "greater_than_equal": _("must be at least %(limit)s") % {"limit": ctx.get("ge")},
        "less_than_equal": _("must be at most %(limit)s") % {"limit": ctx.get("le")},
        "literal_error": _("expected one of: %(values)s") % {"values": ctx.get("expected", "")},
        "string_pattern_mismatch": _("does not have the expected form (%(pattern)s)")
        % {"pattern": ctx.get("pattern", "")},
        "value_error": _value_error(str(ctx.get("error", "")), error["msg"]),
        "bool_parsing": _("expected true or false"),
        "bool_type": _("expected true or false"),
        "time_delta_type": _("expected a duration written HH:MM, between quotes"),
        "time_delta_parsing": _("expected a duration written HH:MM, between quotes"),
    }
    return str(messages.get(kind, error["msg"]))


def parse_text(text: str, filename: str) -> TitleDoc:
    """Parse and validate the text of one catalogue file; raise CatalogueFileError."""
    reader = _Reader(filename)
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CatalogueFileError(
            [Problem(filename, line, "", _("this is not valid YAML (%(problem)s)") % {"problem": exc.problem})]
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogueFileError(
            [Problem(filename, None, "", _("this is not valid YAML (%(problem)s)") % {"problem": exc})]
        ) from None
    if len(nodes) != 1 or nodes[0] is None:
        raise CatalogueFileError([Problem(filename, None, "", _("a catalogue file holds exactly one title"))])
    data = reader.read(nodes[0])
    if reader.problems:
        raise CatalogueFileError(reader.problems)
    try:
        document = TitleDoc.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            location = tuple(error["loc"])
            problems.append(Problem(filename, reader.line_of(location), field_name(location), _french(dict(error))))
        raise CatalogueFileError(problems) from None
    problems = [
        Problem(filename, reader.line_of(location), field_name(location), message)
        for location, message in cross_check(document)
    ]
    if problems:
        raise CatalogueFileError(problems)
    return document


def parse_file(path: Path) -> TitleDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueFileError(
            [Problem(str(path), None, "", _("cannot read the file (%(reason)s)") % {"reason": exc})]
        ) from None
    return parse_text(text, str(path))


def _duplicates(values: Iterable[tuple[Location, object]]) -> Iterable[tuple[Location, object]]:
    seen: set[object] = set()
    for location, value in values:
        if value in seen:
            yield location, value
        seen.add(value)


def cross_check(doc: TitleDoc) -> list[tuple[Location, str]]:
    """What the schema cannot see: uniqueness and references inside the file."""
    problems: list[tuple[Location, str]] = []
    source_keys = {s.key for s in doc.sources}
    for location, key in _duplicates((("sources", i, "key"), s.key) for i, s in enumerate(doc.sources)):
        problems.append((location, _("source %(key)s is listed twice") % {"key": key}))

    def check_sources(location: Location, cited: list[str] | None) -> None:
        for index, key in enumerate(cited or []):
            if key not in source_keys:
                problems.append(
                    (
                        (*location, "source", index),
                        _("unknown source %(key)s (not in the title's sources)") % {"key": key},
                    )
                )

    check_sources((), doc.source)
    versions = {v.label: v for v in doc.versions}
    for location, label in _duplicates((("versions", i, "label"), v.label) for i, v in enumerate(doc.versions)):
        problems.append((location, _("version %(label)s is written twice") % {"label": label}))
    for location, rncp in _duplicates((("versions", i, "rncp"), v.rncp) for i, v in enumerate(doc.versions)):
        problems.append((location, _("RNCP code %(code)s is used by two versions") % {"code": rncp}))
    predecessors: dict[str, int] = {}
    for vi, version in enumerate(doc.versions):
        here: Location = ("versions", vi)
        check_sources(here, version.source)
        if version.valid_from and version.valid_until and version.valid_until < version.valid_from:
            problems.append(((*here, "valid_until"), _("the end of validity comes before its start")))
        if version.predecessor is not None:
            if version.predecessor not in versions or version.predecessor == version.label:
                problems.append(
                    ((*here, "predecessor"), _("unknown version %(label)s") % {"label": version.predecessor})
                )
            elif version.predecessor in predecessors:
                problems.append(
                    (
                        (*here, "predecessor"),
                        _("version %(label)s already has a successor") % {"label": version.predecessor},
                    )
                )
            predecessors[version.predecessor] = vi
        numbers = {c.number for c in version.ccps}
        for location, number in _duplicates(
            ((*here, "ccps", i, "number"), c.number) for i, c in enumerate(version.ccps)
        ):
            problems.append((location, _("CCP number %(number)s is used twice in this version") % {"number": number}))
        ccs_codes = {c.code for c in version.ccs}
        for location, code in _duplicates(((*here, "ccs", i, "code"), c.code) for i, c in enumerate(version.ccs)):
            problems.append((location, _("CCS code %(code)s is used twice in this version") % {"code": code}))
        competence_codes = [
            ((*here, "ccps", ci, "competences", i, "code"), comp.code)
            for ci, ccp in enumerate(version.ccps)
            for i, comp in enumerate(ccp.competences)
        ]
        for location, code in _duplicates(competence_codes):
            problems.append((location, _("competence code %(code)s is used twice in this version") % {"code": code}))
        for ci, ccp in enumerate(version.ccps):
            check_sources((*here, "ccps", ci), ccp.source)
            for i, comp in enumerate(ccp.competences):
                check_sources((*here, "ccps", ci, "competences", i), comp.source)
        for ci, ccs in enumerate(version.ccs):
            check_sources((*here, "ccs", ci), ccs.source)
            for location, code in _duplicates(
                ((*here, "ccs", ci, "competences", i, "code"), c.code) for i, c in enumerate(ccs.competences)
            ):
                problems.append((location, _("competence code %(code)s is used twice in this CCS") % {"code": code}))
            for i, comp in enumerate(ccs.competences):
                check_sources((*here, "ccs", ci, "competences", i), comp.source)
        for location, label in _duplicates(
            ((*here, "transversal_competences", i, "label"), t.label)
            for i, t in enumerate(version.transversal_competences)
        ):
            problems.append((location, _("transversal competence %(label)s is listed twice") % {"label": label}))
        for i, transversal in enumerate(version.transversal_competences):
            check_sources((*here, "transversal_competences", i), transversal.source)
        modality_groups: list[tuple[Location, list[Any]]] = [((*here, "modalities", "title"), version.modalities.title)]
        for number, modalities in version.modalities.ccp.items():
            if number not in numbers:
                problems.append(
                    ((*here, "modalities", "ccp", number), _("unknown CCP number %(number)s") % {"number": number})
                )
            modality_groups.append(((*here, "modalities", "ccp", number), modalities))
        for code, modalities in version.modalities.ccs.items():
            if code not in ccs_codes:
                problems.append(((*here, "modalities", "ccs", code), _("unknown CCS %(code)s") % {"code": code}))
            modality_groups.append(((*here, "modalities", "ccs", code), modalities))
        for group_location, modalities in modality_groups:
            for mi, modality in enumerate(modalities):
                check_sources((*group_location, mi), modality.source)
                for pi, part in enumerate(modality.parts):
                    check_sources((*group_location, mi, "parts", pi), part.source)
        for location, number in _duplicates(
            ((*here, "correspondences", i, "ccp"), c.ccp) for i, c in enumerate(version.correspondences)
        ):
            problems.append((location, _("CCP %(number)s has two correspondence lines") % {"number": number}))
        for i, line in enumerate(version.correspondences):
            at: Location = (*here, "correspondences", i)
            check_sources(at, line.source)
            if line.ccp not in numbers:
                problems.append(
                    ((*at, "ccp"), _("unknown CCP number %(number)s in this version") % {"number": line.ccp})
                )
            origin_label = line.from_version or version.predecessor
            origin = versions.get(origin_label) if origin_label else None
            if origin is None or origin_label == version.label:
                problems.append(
                    ((*at, "from_version"), _("unknown version %(label)s") % {"label": origin_label or "-"})
                )
                continue
            origin_numbers = {c.number for c in origin.ccps}
            for ni, number in enumerate(line.from_ccps):
                if number not in origin_numbers:
                    problems.append(
                        (
                            (*at, "from_ccps", ni),
                            _("version %(label)s has no CCP %(number)s") % {"label": origin_label, "number": number},
                        )
                    )
            if len(set(line.from_ccps)) != len(line.from_ccps):
                problems.append(((*at, "from_ccps"), _("a CCP is listed twice")))
        for location, rncp in _duplicates(
            ((*here, "equivalences", i, "rncp"), e.rncp) for i, e in enumerate(version.equivalences)
        ):
            problems.append((location, _("certification %(code)s has two equivalences") % {"code": rncp}))
        for i, equivalence in enumerate(version.equivalences):
            at = (*here, "equivalences", i)
            check_sources(at, equivalence.source)
            if equivalence.scope == "total" and equivalence.ccps:
                problems.append(((*at, "ccps"), _("a total equivalence gives the whole title: list no CCP")))
            if equivalence.scope == "partial" and not equivalence.ccps:
                problems.append(((*at, "ccps"), _("a partial equivalence must list the CCPs it gives")))
            for ni, number in enumerate(equivalence.ccps):
                if number not in numbers:
                    problems.append(
                        ((*at, "ccps", ni), _("unknown CCP number %(number)s in this version") % {"number": number})
                    )
    # A chain of predecessors must not loop.
    for version in doc.versions:
        seen = {version.label}
        current = version.predecessor
        while current is not None and current in versions:
            if current in seen:
                problems.append(
                    (("versions",), _("the predecessors of version %(label)s form a loop") % {"label": version.label})
                )
                break
            seen.add(current)
            current = versions[current].predecessor
    return problems
