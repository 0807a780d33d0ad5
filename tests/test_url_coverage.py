"""Meta-test: every URL and every API operation has a row in a permission matrix (STYLE.md, habit 10).

The rows are those of the matrices (subclasses of ``PermissionMatrix`` and
``AdminMatrix`` in tests/permissions.py) and the public list
(tests/test_public_urls.py, ``PUBLIC``): one source of truth, read here. A URL
is known by its name (``namespace:name``), an unnamed one by its route
(``admin:<admin/auth/group/<path:object_id>/>``); an API operation by its
method and path in the OpenAPI document, since ninja puts the operations of one
path behind one URL pattern (a new POST beside a GET adds no URL).
"""

from __future__ import annotations

import copy
import importlib
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from ninja import NinjaAPI, Router

from tests.permissions import AdminMatrix, PermissionMatrix, Public, Row
from titrepro.api import api

TESTS = Path(__file__).parent
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# Ninja's own pages: in the public list, but not operations of the OpenAPI document.
NOT_OPERATIONS = {"api:api-root", "api:openapi-json", "api:openapi-view"}


def matrices() -> list[type[PermissionMatrix] | type[AdminMatrix]]:
    """The matrix classes of every test module that defines one (imported under pytest's own names)."""
    found: list[type[PermissionMatrix] | type[AdminMatrix]] = []
    for module_path in sorted(TESTS.rglob("test_*.py")):
        source = module_path.read_text(encoding="utf-8")
        if module_path == Path(__file__) or not ("PermissionMatrix" in source or "AdminMatrix" in source):
            continue
        name = ".".join(module_path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, PermissionMatrix | AdminMatrix)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def matrix_rows() -> list[Row]:
    return [row for matrix in matrices() if issubclass(matrix, PermissionMatrix) for row in matrix.rows]


def admin_keys() -> set[str]:
    return {row.key for matrix in matrices() if issubclass(matrix, AdminMatrix) for row in matrix.rows}


def public_rows() -> list[Public]:
    from tests.test_public_urls import PUBLIC

    return PUBLIC


def url_patterns(urlconf: str | None = None) -> dict[str, str]:
    """Every URL pattern: its key (``namespace:name``, or ``namespace:<route>`` when unnamed) -> its route."""
    found: dict[str, str] = {}

    def walk(patterns: list[URLPattern | URLResolver], namespace: str, route: str) -> None:
        for pattern in patterns:
            part = str(pattern.pattern)
            full = route + (part[1:] if part.startswith("^") else part)  # as Django's ResolverMatch.route
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace, full)
            else:
                found.setdefault(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<{full}>", full)

    walk(get_resolver(urlconf).url_patterns, "", "")
    return found


def openapi_path(route: str) -> str:
    """``api/v1/candidates/<int:candidate_id>`` -> ``/api/v1/candidates/{candidate_id}``."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def operations(schema: dict[str, Any]) -> set[str]:
    """``METHOD /path`` of every operation of an OpenAPI document."""
    return {
        f"{method.upper()} {where}"
        for where, item in schema["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def covered_urls() -> set[str]:
    return {row.name for row in matrix_rows()} | admin_keys() | {public.name for public in public_rows()}


def covered_operations(routes: dict[str, str]) -> set[str]:
    every: list[Row | Public] = [*matrix_rows(), *public_rows()]
    return {
        f"{row.method.upper()} {openapi_path(routes[row.name])}"
        for row in every
        if row.is_api and row.name in routes and row.name not in NOT_OPERATIONS
    }


def missing_urls(urlconf: str | None = None) -> list[str]:
    """The URLs (admin included) that no matrix row and no public entry names."""
    return sorted(set(url_patterns(urlconf)) - covered_urls())


def missing_operations(schema: dict[str, Any] | None = None, urlconf: str | None = None) -> list[str]:
    """The API operations (``METHOD /path``) that no matrix row and no public entry names."""
    schema = api.get_openapi_schema() if schema is None else schema
    return sorted(operations(schema) - covered_operations(url_patterns(urlconf)))


def test_every_url_has_a_row() -> None:
    missing = missing_urls()
    assert not missing, f"URLs without a permission row (add a Row to an app's matrix, or to PUBLIC): {missing}"


def test_every_api_operation_has_a_row() -> None:
    missing = missing_operations()
    assert not missing, f"API operations without a permission row (a Row with its method): {missing}"


def test_the_rows_name_only_real_urls_and_operations() -> None:
    routes = url_patterns()
    assert not sorted(covered_urls() - set(routes)), "rows name no such URL"
    real = operations(api.get_openapi_schema())
    every: list[Row | Public] = [*matrix_rows(), *public_rows()]
    named = {
        f"{row.method.upper()} {openapi_path(routes[row.name])}"
        for row in every
        if row.is_api and row.name not in NOT_OPERATIONS
    }
    assert not sorted(named - real), "rows name no such API operation (URL name + method)"


def test_nothing_is_both_public_and_protected() -> None:
    assert not {public.name for public in public_rows()} & {row.name for row in matrix_rows()}


def test_every_matrix_is_found() -> None:
    names = {matrix.__name__ for matrix in matrices()}
    assert {"TestAccountsPermissions", "TestDirectoryPermissions", "TestSpacesPermissions"} <= names
    assert "TestAdminPermissions" in names


# The meta-test of the meta-test: what it reports when something new has no row.


def throwaway_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("jetable")


def test_a_new_page_without_a_row_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from titrepro.urls import urlpatterns

    urlconf = types.ModuleType("tests_throwaway_urls")
    urlconf.urlpatterns = [*urlpatterns, path("jetable/", throwaway_page, name="throwaway")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
    with override_settings(ROOT_URLCONF=urlconf.__name__):
        assert missing_urls() == ["throwaway"]
        assert missing_operations() == []


def test_a_new_api_operation_without_a_row_is_reported() -> None:
    """A PUT beside the GET of /accounts/me: the same URL pattern, a new operation."""
    router = Router()

    @router.put("/me")
    def replace_me(request: HttpRequest) -> None:
        """Never served: only its place in the OpenAPI document matters."""

    throwaway = NinjaAPI(title="jetable", urls_namespace="throwaway")
    throwaway.add_router("/accounts", router)
    schema = copy.deepcopy(api.get_openapi_schema())
    for where, item in throwaway.get_openapi_schema(path_prefix="/api/v1/")["paths"].items():
        schema["paths"].setdefault(where, {}).update(item)
    assert missing_operations(schema) == ["PUT /api/v1/accounts/me"]
