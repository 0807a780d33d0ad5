"""Permission matrix of the catalogue's updates (tests/permissions.py): the list of the RNCP imports and one
import's report are for the national administrator; every other role gets 403, the anonymous the login page.
An import is written directly for each request (the import itself is tested in test_rncp_import.py)."""

from __future__ import annotations

from typing import Any, ClassVar

from tests.permissions import Audience, PermissionMatrix, Row
from titrepro.catalogue.models import CatalogueImport

REPORT = {
    "export": {"name": "export-fiches-csv-2024-02-22.zip", "day": "2024-02-22", "kind": "csv"},
    "counts": {"fiches": 3, "ministry": 1, "titles": 1, "created": 1, "changed": 1, "differences": 0},
    "skipped": [],
    "titles": [
        {"code": "RNCP40001", "label": "Titre importé", "created": True, "changes": [{"kind": "title_created"}]}
    ],
}


def an_import(world: Any) -> list[int]:
    update, _ = CatalogueImport.objects.get_or_create(
        export_name="export-fiches-csv-2024-02-22.zip", defaults={"kind": "csv", "report": REPORT}
    )
    return [update.pk]


class TestCatalogueUpdatesPermissions(PermissionMatrix):
    template_prefix = "catalogue/"
    rows: ClassVar[list[Row]] = [
        Row("catalogue_spaces:catalogue_updates", Audience.NATIONAL, is_list=True),
        Row("catalogue_spaces:catalogue_update_detail", Audience.NATIONAL, args=an_import),
    ]
