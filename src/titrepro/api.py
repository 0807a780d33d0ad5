"""The REST API under /api/v1/: one Django Ninja router per app.

The OpenAPI document is at /api/v1/openapi.json and the interactive docs at
/api/v1/docs. The docs page is Swagger UI served from django-ninja's own static
files (``ninja`` in INSTALLED_APPS; without it ninja falls back to a CDN, which
our Content-Security-Policy blocks): scripts from 'self', settings passed as
JSON data, no inline script. The contract is snapshotted in
tests/snapshots/openapi.json.

``TitreproAPI`` (core.api) installs the error handlers: every answer is JSON in
the one error shape, and no input gives a 500 (tests/api/test_schemathesis.py).
"""

from ninja import Swagger

from titrepro.accounts.api import router as accounts_router
from titrepro.candidates.api_records import router as candidates_router
from titrepro.catalogue.api import router as catalogue_router
from titrepro.catalogue.api_standing import router as standing_router
from titrepro.core.api import TitreproAPI
from titrepro.credentials.api import router as credentials_router
from titrepro.deliberation.api import router as deliberation_router
from titrepro.directory.api import router as directory_router
from titrepro.sessions.api import router as sessions_router
from titrepro.sessions.api_planning import router as planning_router

api = TitreproAPI(
    title="titrepro API",
    version="1",
    description="API des titres professionnels du ministère du Travail (titrepro).",
    urls_namespace="api",
    # No online validator badge: it would send our schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/titles", catalogue_router)
api.add_router("/standing", standing_router)
api.add_router("/directory", directory_router)
api.add_router("/candidates", candidates_router)
api.add_router("/accounts", accounts_router)
api.add_router("/sessions", sessions_router)
api.add_router("/sessions", planning_router)
api.add_router("/deliberation", deliberation_router)
api.add_router("/documents", credentials_router)
