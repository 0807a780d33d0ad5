"""The REST API under /api/v1/: one Django Ninja router per app."""

from ninja import NinjaAPI

from titrepro.catalogue.api import router as catalogue_router

api = NinjaAPI(
    title="titrepro API",
    version="1",
    description="API des titres professionnels du ministère du Travail (titrepro).",
    urls_namespace="api",
)
api.add_router("/titles", catalogue_router)
