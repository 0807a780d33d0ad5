"""Whether the jury is in the room and whether the candidate sits at a workstation, per modality and part."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from titrepro.catalogue import services
from titrepro.catalogue.conduct import DEFAULT_CONDUCT, Conduct, conduct_keys, default_conduct, resolve_conduct
from titrepro.catalogue.loader import CatalogueFileError
from titrepro.catalogue.models import EvaluationModality, ModalityKind, ModalityPart

DATA = Path(__file__).parent / "data"
FICTIONAL = DATA / "fictional.yaml"

JURY_AT_POST = Conduct(jury_present=True, uses_workstation=True)
JURY_ONLY = Conduct(jury_present=True, uses_workstation=False)
POST_ONLY = Conduct(jury_present=False, uses_workstation=True)
NEITHER = Conduct(jury_present=False, uses_workstation=False)


def conduct_of(row: EvaluationModality | ModalityPart) -> Conduct:
    return Conduct(jury_present=row.jury_present, uses_workstation=row.uses_workstation)


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = FICTIONAL.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "edited.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def fictional_2020_title_session() -> list[EvaluationModality]:
    return list(
        EvaluationModality.objects.filter(version__rncp_code="RNCP90002", session_kind="title").order_by("position")
    )


class TestDefaults:
    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            ("practical_assessment", JURY_AT_POST),
            ("professional_questionnaire", POST_ONLY),
            ("technical_interview", JURY_ONLY),
            ("final_interview", JURY_ONLY),
            ("upstream_project", JURY_ONLY),
            ("outputs_questioning", JURY_ONLY),
        ],
    )
    def test_default_by_kind(self, kind: str, expected: Conduct) -> None:
        assert default_conduct(kind) == expected

    def test_every_kind_has_a_default(self) -> None:
        assert set(DEFAULT_CONDUCT) == set(ModalityKind.values)

    def test_an_absent_key_inherits_a_written_one_wins(self) -> None:
        assert resolve_conduct(JURY_AT_POST, None, None) == JURY_AT_POST
        assert resolve_conduct(JURY_AT_POST, False, None) == POST_ONLY
        assert resolve_conduct(JURY_AT_POST, None, False) == JURY_ONLY
        assert resolve_conduct(NEITHER, True, True) == JURY_AT_POST

    def test_the_export_writes_only_what_differs_from_the_inherited_value(self) -> None:
        assert conduct_keys(JURY_AT_POST, JURY_AT_POST) == {}
        assert conduct_keys(POST_ONLY, JURY_AT_POST) == {"jury": False}
        assert conduct_keys(NEITHER, JURY_AT_POST) == {"jury": False, "workstation": False}


@pytest.mark.django_db
class TestLoad:
    def test_a_modality_without_keys_gets_its_kind_default(self) -> None:
        services.load_files([FICTIONAL])
        practical, final = fictional_2020_title_session()
        assert conduct_of(practical) == JURY_AT_POST
        assert conduct_of(final) == JURY_ONLY

    def test_a_part_overrides_and_a_part_without_keys_inherits(self) -> None:
        services.load_files([FICTIONAL])
        preparation, intervention = fictional_2020_title_session()[0].parts.all()
        assert preparation.label == "Préparation"
        assert conduct_of(preparation) == NEITHER  # jury: false, workstation: false
        assert conduct_of(intervention) == JURY_AT_POST  # its modality's

    def test_a_part_inherits_the_value_its_modality_writes(self, tmp_path: Path) -> None:
        path = edited(tmp_path, 'duration: "03:00"\n', 'duration: "03:00"\n          workstation: false\n')
        services.load_files([path])
        practical = fictional_2020_title_session()[0]
        assert conduct_of(practical) == JURY_ONLY
        preparation, intervention = practical.parts.all()
        assert conduct_of(preparation) == NEITHER
        assert conduct_of(intervention) == JURY_ONLY  # the modality's written value, not the kind's default

    def test_reloading_the_same_file_changes_nothing(self) -> None:
        services.load_files([FICTIONAL])
        report = services.load_files([FICTIONAL])
        assert not report.changed

    def test_a_changed_key_updates_its_row_in_place(self, tmp_path: Path) -> None:
        services.load_files([FICTIONAL])
        final = fictional_2020_title_session()[1]
        path = edited(
            tmp_path,
            '{kind: final_interview, duration: "00:20"}',
            '{kind: final_interview, duration: "00:20", jury: false}',
        )
        report = services.load_files([path])
        assert (report.created, report.updated, report.deleted) == (0, 1, 0)
        final.refresh_from_db()
        assert conduct_of(final) == NEITHER

    def test_the_export_writes_the_keys_that_differ_only(self) -> None:
        services.load_files([FICTIONAL])
        text = services.export_title_yaml("TP-99901")
        assert "jury: false" in text
        assert "workstation: false" in text
        assert text.count("jury:") == 1  # only the preparation part: everything else inherits
        assert text.count("workstation:") == 1

    @pytest.mark.parametrize("value", ["maybe", "yes", "1", "'vrai'", "[true]"])
    def test_a_value_other_than_true_or_false_is_refused_at_its_place(self, tmp_path: Path, value: str) -> None:
        path = edited(tmp_path, "jury: false", f"jury: {value}")
        with pytest.raises(CatalogueFileError) as caught:
            services.load_files([path])
        [problem] = caught.value.problems
        assert problem.line == 71
        assert problem.field == "versions[1].modalities.title[0].parts[0].jury"
        assert "true" in problem.message
        assert "false" in problem.message
        assert not EvaluationModality.objects.exists()

    def test_true_and_false_are_read_in_any_case(self, tmp_path: Path) -> None:
        path = edited(tmp_path, "jury: false, workstation: false", "jury: False, workstation: TRUE")
        services.load_files([path])
        preparation = fictional_2020_title_session()[0].parts.get(label="Préparation")
        assert conduct_of(preparation) == POST_ONLY


def title_session_units(version: str) -> list[tuple[str, Conduct, timedelta | None]]:
    """The timed units of a TSSR version's title session: each part, or the modality when it has none."""
    units: list[tuple[str, Conduct, timedelta | None]] = []
    for modality in EvaluationModality.objects.filter(
        version__title__code="TP-01351", version__label=version, session_kind="title"
    ).order_by("position"):
        parts = list(modality.parts.all())
        if parts:
            units += [(part.label, conduct_of(part), part.duration) for part in parts]
        else:
            units.append((modality.kind, conduct_of(modality), modality.duration))
    return units


@pytest.mark.django_db
class TestShippedTitles:
    def test_tssr_2023_title_session(self, builtin_catalogue: services.LoadReport) -> None:
        units = title_session_units("2023")
        assert [(label[:30], conduct) for label, conduct, _ in units] == [
            ("Manipulations sur machines vir", POST_ONLY),
            ("Prise de connaissance du sujet", NEITHER),
            ("Mises en situation devant le j", JURY_AT_POST),
            ("professional_questionnaire", POST_ONLY),
            ("technical_interview", JURY_ONLY),
            ("final_interview", JURY_ONLY),
        ]
        with_jury = [duration for _, conduct, duration in units if conduct.jury_present and duration is not None]
        assert with_jury == [timedelta(minutes=45), timedelta(minutes=45), timedelta(minutes=20)]
        assert sum(with_jury, timedelta()) == timedelta(minutes=110)

    def test_tssr_2026_title_session(self, builtin_catalogue: services.LoadReport) -> None:
        assert [(label[:30], conduct) for label, conduct, _ in title_session_units("2026")] == [
            ("Phase 1 : manipulations sur un", POST_ONLY),
            ("Phase 2 : préparation de la pr", NEITHER),
            ("Phase 2 : présentation orale d", JURY_ONLY),
            ("Phase 3 : résolution d’un inci", JURY_AT_POST),
            ("professional_questionnaire", POST_ONLY),
            ("technical_interview", JURY_ONLY),
            ("final_interview", JURY_ONLY),
        ]

    def test_tssr_2026_ccp_sessions(self, builtin_catalogue: services.LoadReport) -> None:
        parts = ModalityPart.objects.filter(
            modality__version__rncp_code="RNCP42463", modality__session_kind="ccp"
        ).order_by("modality__ccp__number", "position")
        expected = {
            "Manipulations": POST_ONLY,
            "Préparation de la présentation": NEITHER,
            "Présentation orale de la production devant le jury": JURY_ONLY,
            "Résolution d’un incident devant le jury": JURY_AT_POST,
            "Résolution d’un incident réseau devant le jury": JURY_AT_POST,
        }
        assert len(parts) == 4 + 4 + 3
        for part in parts:
            assert conduct_of(part) == expected[part.label], (part.modality.ccp, part.label)

    def test_every_modality_without_a_written_value_has_its_kind_default(
        self, builtin_catalogue: services.LoadReport
    ) -> None:
        for modality in EvaluationModality.objects.all():
            assert conduct_of(modality) == default_conduct(modality.kind), modality


@pytest.mark.django_db
def test_the_migration_fills_the_defaults_by_kind_and_parts_copy_their_modality(
    builtin_catalogue: services.LoadReport,
) -> None:
    EvaluationModality.objects.update(jury_present=False, uses_workstation=False)
    ModalityPart.objects.update(jury_present=True, uses_workstation=True)
    migration = importlib.import_module("titrepro.catalogue.migrations.0004_modality_conduct")
    migration.fill(django_apps, None)
    for modality in EvaluationModality.objects.prefetch_related("parts"):
        assert conduct_of(modality) == default_conduct(modality.kind), modality
        for part in modality.parts.all():
            assert conduct_of(part) == conduct_of(modality), part
