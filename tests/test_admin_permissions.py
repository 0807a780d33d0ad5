"""Permission matrix of the Django admin: every URL of every registered ModelAdmin, and the site's own pages.

Rows come from ``admin.site`` (tests/permissions.py, ``admin_rows``): a new
ModelAdmin is in the matrix without anyone writing a row, and the URL
meta-test (tests/test_url_coverage.py) checks that nothing of the admin is left out.
Anonymous and signed-in users without is_staff go to the admin login; staff
without model permissions get 403; a superuser past the second factor gets the page.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from dsfr.models import DsfrConfig

from tests.factories import make_provider, make_user
from tests.permissions import AdminMatrix, AdminRow, admin_objects, admin_rows, build_world
from titrepro.audit.services import record
from titrepro.candidates.models import InTrainingAssessment, Pathway, ProfessionalPortfolio
from titrepro.catalogue.models import CatalogueImport, Correspondence, Equivalence, Title
from titrepro.catalogue.services import load_builtin
from titrepro.directory.models import Convention
from titrepro.sessions.models import ExamSession, Programme, Registration


def admin_world() -> dict[type[models.Model], models.Model]:
    """The built-in catalogue, the permission world, and one object of each model they leave out."""
    load_builtin()
    world = build_world()
    tssr = Title.objects.get(code="TP-01351")
    v2018, v2023 = tssr.versions.get(label="2018"), tssr.versions.get(label="2023")
    line = Correspondence.objects.create(from_version=v2018, to_ccp=v2023.ccps.get(number=1))
    line.from_ccps.set(v2018.ccps.filter(number__in=[1, 2]))
    equivalence = Equivalence.objects.create(
        version=v2023, rncp_code="RNCP99999", certification_label="Certification fictive", scope="partial"
    )
    equivalence.ccps.set([v2023.ccps.get(number=2)])
    convention = Convention.objects.create(
        centre=world.ours.centre, provider=make_provider(), signed_on=datetime.date(2025, 1, 6)
    )
    convention.titles.set([tssr])
    pathway = Pathway.objects.create(candidate=world.ours.candidate, title=tssr, route="training")
    InTrainingAssessment.objects.create(
        pathway=pathway, ccp=v2023.ccps.get(number=1), result="passed", assessed_on=datetime.date(2026, 3, 2)
    )
    ProfessionalPortfolio.objects.create(
        candidate=world.ours.candidate,
        title=tssr,
        file="portfolios/2026/03/dp.pdf",
        declaration_on_honour=True,
        signed_on=datetime.date(2026, 3, 1),
    )
    session = ExamSession.objects.create(
        number="2027-ADM-0001",
        kind="title",
        version=world.ours.approval.version,
        centre=world.ours.centre,
        site_address="1 rue de l’Exemple",
        first_day=datetime.date(2027, 3, 8),
        last_day=datetime.date(2027, 3, 9),
        capacity=10,
    )
    Registration.objects.create(
        session=session, candidate=world.ours.candidate, registered_on=datetime.date(2027, 1, 4)
    )
    Programme.objects.create(centre=world.ours.centre, year=2027)
    CatalogueImport.objects.create(export_name="export-fiches-csv-2024-02-22.zip", kind="csv")
    Group.objects.create(name="Équipe nationale")
    DsfrConfig.objects.get_or_create(site_title="titrepro")
    with transaction.atomic():
        record(actor=world.admin, action="approval.suspended", target=world.ours.approval, reason="Contrôle")
    # A user with a usable password: for one without, Django's own change-password template reads
    # form.usable_password, a field the form then lacks, and --fail-on-template-vars refuses it.
    return admin_objects({get_user_model(): make_user(username="avec-mot-de-passe", with_password=True)})


class TestAdminPermissions(AdminMatrix):
    rows: ClassVar[list[AdminRow]] = admin_rows()

    def admin_world(self) -> dict[type[models.Model], models.Model]:
        return admin_world()
