"""The catalogue YAML loader: good files, bad files, idempotence, round trips."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from titrepro.catalogue import services
from titrepro.catalogue.conduct import Conduct, default_conduct, resolve_conduct
from titrepro.catalogue.loader import CatalogueFileError, parse_text
from titrepro.catalogue.models import (
    CCP,
    Competence,
    Correspondence,
    Equivalence,
    EvaluationModality,
    ModalityPart,
    Title,
    TitleVersion,
)

DATA = Path(__file__).parent / "data"
FICTIONAL = DATA / "fictional.yaml"


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every catalogue row, to prove that a failed load wrote nothing."""
    return {
        "titles": list(Title.objects.values_list("pk", "code", "label", "level").order_by("pk")),
        "versions": list(TitleVersion.objects.values_list("pk", "label", "rncp_code", "predecessor").order_by("pk")),
        "ccps": list(CCP.objects.values_list("pk", "number", "label").order_by("pk")),
        "competences": list(Competence.objects.values_list("pk", "code", "label").order_by("pk")),
        "modalities": list(
            EvaluationModality.objects.values_list(
                "pk", "kind", "duration", "jury_present", "uses_workstation"
            ).order_by("pk")
        ),
        "parts": list(
            ModalityPart.objects.values_list("pk", "label", "duration", "jury_present", "uses_workstation").order_by(
                "pk"
            )
        ),
        "correspondences": list(
            Correspondence.objects.values_list("pk", "to_ccp", "from_ccps").order_by("pk", "from_ccps")
        ),
    }


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FICTIONAL.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogueFileError) as caught:
        services.load_files([path])
    return [str(p) for p in caught.value.problems]


@pytest.mark.django_db
class TestLoadGoodFile:
    def test_loads_every_part_of_the_title(self) -> None:
        report = services.load_files([FICTIONAL])
        assert report.titles == ["TP-99901"]
        title = Title.objects.get(code="TP-99901")
        assert title.level == 4
        assert title.short_label == "AFM"
        assert title.confidence == "confirmed"
        assert list(title.versions.values_list("label", flat=True)) == ["2015", "2020", "2025"]
        v2020 = title.versions.get(label="2020")
        assert v2020.predecessor is not None
        assert v2020.predecessor.label == "2015"
        assert v2020.sources == ["F2"]  # its own citation, not the title's
        assert v2020.ccps.get(number=1).sources == ["F2"]  # inherited from the version
        assert [c.code for c in Competence.objects.filter(ccp__version=v2020).order_by("ccp__number", "position")] == [
            "CP1",
            "CP2",
            "CP3",
        ]
        assert Competence.objects.get(ccp__version=v2020, code="CP2").criteria == ["Le diagnostic est méthodique"]
        msp = v2020.modalities.get(session_kind="title", kind="practical_assessment")
        assert msp.duration is not None
        assert msp.duration.total_seconds() == 3 * 3600
        assert [p.confidence for p in msp.parts.all()] == ["confirmed", "reported"]
        assert v2020.modalities.get(session_kind="ccp").ccp == v2020.ccps.get(number=1)
        line = Correspondence.objects.get(to_ccp__version=v2020, to_ccp__number=1)
        assert line.from_version.label == "2015"
        assert sorted(line.from_ccps.values_list("number", flat=True)) == [1, 2]
        partial = Equivalence.objects.get(version=v2020, rncp_code="RNCP11111")
        assert partial.scope == "partial"
        assert list(partial.ccps.values_list("number", flat=True)) == [2]
        assert Equivalence.objects.get(version=v2020, rncp_code="RNCP22222").confidence == "reported"
        assert title.versions.get(label="2015").ccs_list.get(code="HYDRO").competences.count() == 1

    def test_loading_twice_changes_nothing(self) -> None:
        services.load_files([FICTIONAL])
        before = snapshot()
        report = services.load_files([FICTIONAL])
        assert not report.changed
        assert snapshot() == before

    def test_corrected_file_updates_in_place(self, tmp_path: Path) -> None:
        services.load_files([FICTIONAL])
        ccp = CCP.objects.get(version__rncp_code="RNCP90002", number=1)
        corrected = broken(
            tmp_path, "label: Entretenir et dépanner les équipements", "label: Entretenir et réparer les équipements"
        )
        report = services.load_files([corrected])
        assert report.updated == 1
        assert report.created == 0
        assert report.deleted == 0
        ccp.refresh_from_db()  # same row, same id
        assert ccp.label == "Entretenir et réparer les équipements"

    def test_rows_gone_from_the_file_are_removed(self, tmp_path: Path) -> None:
        services.load_files([FICTIONAL])
        smaller = broken(tmp_path, "      - {ccp: 2, from_ccps: [3]}\n", "")
        services.load_files([smaller])
        assert not Correspondence.objects.filter(to_ccp__version__rncp_code="RNCP90002", to_ccp__number=2).exists()
        assert Correspondence.objects.filter(to_ccp__version__rncp_code="RNCP90002", to_ccp__number=1).exists()

    def test_unquoted_numbers_and_durations_are_read_as_written(self, tmp_path: Path) -> None:
        path = broken(tmp_path, '  - label: "2025"', "  - label: 2025")
        path.write_text(
            path.read_text(encoding="utf-8").replace('duration: "00:20"', "duration: 00:20"), encoding="utf-8"
        )
        services.load_files([path])
        final = EvaluationModality.objects.get(kind="final_interview")
        assert final.duration is not None
        assert final.duration.total_seconds() == 20 * 60
        assert TitleVersion.objects.filter(label="2025").exists()


@pytest.mark.django_db
class TestExport:
    def test_export_then_load_round_trips_exactly(self, tmp_path: Path) -> None:
        services.load_files([FICTIONAL])
        first = services.export_title_yaml("TP-99901")
        before = snapshot()
        exported = tmp_path / "export.yaml"
        exported.write_text(first, encoding="utf-8")
        assert not services.load_files([exported]).changed
        assert snapshot() == before
        assert services.export_title_yaml("TP-99901") == first

    def test_export_keeps_the_meaning_of_the_source_file(self) -> None:
        services.load_files([FICTIONAL])
        exported = parse_text(services.export_title_yaml("TP-99901"), "export")
        original = parse_text(FICTIONAL.read_text(encoding="utf-8"), "fictional")
        assert resolved(exported.model_dump()) == resolved(original.model_dump())

    def test_every_shipped_title_round_trips(self, tmp_path: Path) -> None:
        services.load_builtin()
        for code in Title.objects.values_list("code", flat=True):
            text = services.export_title_yaml(code)
            before = snapshot()
            path = tmp_path / f"{code}.yaml"
            path.write_text(text, encoding="utf-8")
            assert not services.load_files([path]).changed, code
            assert snapshot() == before
            assert services.export_title_yaml(code) == text

    def test_shipped_files_mean_what_the_database_exports(self) -> None:
        services.load_builtin()
        for path in services.builtin_files():
            document = parse_text(path.read_text(encoding="utf-8"), str(path))
            exported = parse_text(services.export_title_yaml(document.code), "export")
            assert resolved(exported.model_dump()) == resolved(document.model_dump())


def resolved(
    data: object, parent: tuple[object, object] = ([], "unconfirmed"), conduct: Conduct | None = None
) -> object:
    """A dumped document with inherited ``source``, ``confidence``, ``jury`` and ``workstation`` written out
    everywhere (a modality's conduct comes from its kind, a part's from its modality)."""
    if isinstance(data, list):
        return [resolved(item, parent, conduct) for item in data]
    if not isinstance(data, dict):
        return data
    if "confidence" in data:
        source = data["source"] if data["source"] is not None else parent[0]
        confidence = data["confidence"] or parent[1]
        data = {**data, "source": source, "confidence": confidence}
        parent = (source, confidence)
    if "jury" in data:
        inherited = default_conduct(data["kind"]) if "kind" in data else conduct
        assert inherited is not None, data
        conduct = resolve_conduct(inherited, data["jury"], data["workstation"])
        data = {**data, "jury": conduct.jury_present, "workstation": conduct.uses_workstation}
    return {key: resolved(value, parent, conduct) for key, value in data.items()}


BAD_FILES = [
    pytest.param(
        "label: Agent fictif de maintenance\n", "", ["ligne 3, champ label :", "obligatoire"], id="missing-field"
    ),
    pytest.param(
        "arrete_date: 2020-04-15",
        "arrete_date: 2020-02-30",
        ["champ versions[1].arrete_date :", "date"],
        id="wrong-date",
    ),
    pytest.param(
        "valid_until: 2025-05-31", "valid_until: 31/05/2025", ["champ versions[1].valid_until :"], id="date-format"
    ),
    pytest.param(
        "      - number: 2\n        label: Dépanner",
        "      - number: 1\n        label: Dépanner",
        ["champ versions[0].ccps[1].number :", "numéro de CCP 1"],
        id="duplicate-ccp",
    ),
    pytest.param(
        "{ccp: 2, from_ccps: [3]}",
        "{ccp: 2, from_ccps: [7]}",
        ["champ versions[1].correspondences[1].from_ccps[0] :", "7"],
        id="unknown-ccp-in-correspondence",
    ),
    pytest.param(
        "{ccp: 2, from_ccps: [3]}",
        "{ccp: 5, from_ccps: [3]}",
        ["champ versions[1].correspondences[1].ccp :", "5"],
        id="unknown-target-ccp",
    ),
    pytest.param(
        "{ccp: 1, from_ccps: [1, 2]}",
        "{ccp: 1, from_ccps: [1, 2], from_version: '1999'}",
        ["from_version", "1999"],
        id="unknown-version-in-correspondence",
    ),
    pytest.param(
        'predecessor: "2015"',
        'predecessor: "2014"',
        ["champ versions[1].predecessor :", "2014"],
        id="unknown-predecessor",
    ),
    pytest.param("source: [F2]", "source: [F9]", ["champ versions[1].source[0] :", "F9"], id="unknown-source"),
    pytest.param(
        'duration: "03:00"', 'duration: "3 heures"', ["modalities.title[0].duration :", "HH:MM"], id="bad-duration"
    ),
    pytest.param(
        'duration: "00:30", jury: false',
        'duration: "00:30", jury: maybe',
        ["ligne 71, champ versions[1].modalities.title[0].parts[0].jury :", "true", "false"],
        id="jury-not-a-boolean",
    ),
    pytest.param(
        "workstation: false}",
        "workstation: 0}",
        ["ligne 71, champ versions[1].modalities.title[0].parts[0].workstation :", "true", "false"],
        id="workstation-not-a-boolean",
    ),
    pytest.param("status: closed", "status: archived", ["champ versions[1].status :"], id="unknown-status"),
    pytest.param("level: 4", "level: 9", ["champ level :"], id="level-out-of-range"),
    pytest.param("rncp: RNCP90002", "rncp: RNCP90001", ["champ versions[1].rncp :", "RNCP90001"], id="duplicate-rncp"),
    pytest.param(
        "    status: revised\n",
        "    status: revised\n    colour: blue\n",
        ["champ versions[0].colour :"],
        id="unknown-field",
    ),
    pytest.param(
        "short_label: AFM\n",
        "short_label: AFM\nshort_label: BIS\n",
        ["ligne 7, champ short_label :"],
        id="duplicate-key",
    ),
    pytest.param(
        "kind: practical_assessment\n          duration",
        "kind: practical_assessment\n  duration",
        ["ligne"],
        id="yaml-syntax",
    ),
    pytest.param(
        "scope: partial, ccps: [2]", "scope: partial", ["equivalences[0].ccps :"], id="partial-equivalence-without-ccp"
    ),
    pytest.param(
        "valid_until: 2020-05-31", "valid_until: 2014-05-31", ["versions[0].valid_until :"], id="validity-backwards"
    ),
]


@pytest.mark.django_db
class TestBadFiles:
    @pytest.mark.parametrize(("old", "new", "expected"), BAD_FILES)
    def test_bad_file_is_refused_with_its_place_and_writes_nothing(
        self, tmp_path: Path, old: str, new: str, expected: list[str]
    ) -> None:
        services.load_files([FICTIONAL])
        before = snapshot()
        path = broken(tmp_path, old, new)
        problems = problems_of(path)
        assert problems, "a problem must be reported"
        text = "\n".join(problems)
        assert str(path) in text
        for fragment in expected:
            assert fragment in text
        assert snapshot() == before

    def test_one_bad_file_among_several_writes_none_of_them(self, tmp_path: Path) -> None:
        bad = broken(tmp_path, "level: 4", "level: 0")
        with pytest.raises(CatalogueFileError):
            services.load_files([*services.builtin_files(), bad])
        assert Title.objects.count() == 0

    def test_every_problem_is_reported_at_once(self, tmp_path: Path) -> None:
        path = broken(tmp_path, "source: [F2]", "source: [F8]")
        path.write_text(
            path.read_text(encoding="utf-8").replace("{ccp: 2, from_ccps: [3]}", "{ccp: 2, from_ccps: [9]}"),
            encoding="utf-8",
        )
        assert len(problems_of(path)) == 2

    def test_not_a_title(self, tmp_path: Path) -> None:
        path = tmp_path / "list.yaml"
        path.write_text("- a\n- b\n", encoding="utf-8")
        assert problems_of(path)
        empty = tmp_path / "empty.yaml"
        empty.write_text("", encoding="utf-8")
        assert problems_of(empty)

    def test_unreadable_file(self, tmp_path: Path) -> None:
        assert "impossible de lire le fichier" in problems_of(tmp_path / "missing.yaml")[0]


@pytest.mark.django_db
class TestCommand:
    def run(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("catalogue", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_load_builtin(self) -> None:
        out, _ = self.run("load", "--builtin")
        assert "TP-01351" in out
        assert TitleVersion.objects.filter(title__code="TP-01351").count() == 3
        out, _ = self.run("load", "--builtin")
        assert " 0 " in out  # nothing created, updated or deleted the second time

    def test_check_writes_nothing(self) -> None:
        out, _ = self.run("check", str(FICTIONAL))
        assert "TP-99901" in out
        assert not Title.objects.exists()

    def test_bad_file_exits_non_zero_and_names_the_problem(self, tmp_path: Path) -> None:
        path = broken(tmp_path, "arrete_date: 2020-04-15", "arrete_date: 2020-13-01")
        err = io.StringIO()
        with pytest.raises(CommandError) as caught:
            call_command("catalogue", "load", str(path), stderr=err)
        assert caught.value.returncode == 1
        assert "versions[1].arrete_date" in err.getvalue()
        assert str(path) in err.getvalue()
        assert not Title.objects.exists()

    def test_export_to_a_file(self, tmp_path: Path) -> None:
        self.run("load", str(FICTIONAL))
        target = tmp_path / "out.yaml"
        self.run("export", "TP-99901", "--output", str(target))
        assert target.read_text(encoding="utf-8") == services.export_title_yaml("TP-99901")

    def test_export_of_an_unknown_title(self) -> None:
        with pytest.raises(CommandError) as caught:
            self.run("export", "TP-00000")
        assert caught.value.returncode == 2

    def test_load_needs_files(self) -> None:
        with pytest.raises(CommandError):
            self.run("load")


def test_the_documented_example_is_valid_and_is_the_test_file() -> None:
    text = (Path(__file__).parents[2] / "docs" / "catalogue-format.md").read_text(encoding="utf-8")
    example = text.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example == FICTIONAL.read_text(encoding="utf-8")
    assert parse_text(example, "docs").code == "TP-99901"
