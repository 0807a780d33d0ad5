"""The OpenAPI document describes every answer: each ``$ref`` resolves, each operation declares its errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from titrepro.api import api

UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    schema: dict[str, Any] = api.get_openapi_schema()
    return schema


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"{ref} is not a reference inside the document"
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict), f"{ref} does not resolve"
        assert part in node, f"{ref} does not resolve (no {part!r})"
        node = node[part]
    return node


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    found = set(refs(document))
    assert "#/components/schemas/CcpHoldingIn" in found  # the standing request's parts are components
    for ref in sorted(found):
        resolve(document, ref)
    assert not any("$defs" in str(key) for key in _keys(document)), "definitions left inside an operation"


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def statuses(operation: dict[str, Any]) -> set[str]:
    return {str(status) for status in operation["responses"]}  # ints in the dict, strings once served


def expected_errors(method: str, path: str, operation: dict[str, Any]) -> set[str]:
    """What an operation may answer besides its success (core.api: the one error shape)."""
    expected = {"422"}  # a bad query, path or body
    authenticated = bool(operation.get("security"))
    if authenticated:
        expected.add("401")
        if method in UNSAFE:
            expected |= {"403", "409"}  # a session without its CSRF token; a write that met another
    if "{" in path:
        expected.add("404")
    if "requestBody" in operation:
        expected.add("413")
    return expected


def test_every_operation_declares_every_error_it_can_answer(document: dict[str, Any]) -> None:
    missing = {
        f"{method.upper()} {path}": sorted(expected_errors(method, path, operation) - statuses(operation))
        for method, path, operation in operations(document)
    }
    assert not {where: statuses for where, statuses in missing.items() if statuses}


def test_role_scoped_operations_declare_403(document: dict[str, Any]) -> None:
    """Every directory and candidates operation depends on the caller's role."""
    for method, path, operation in operations(document):
        if path.startswith(("/api/v1/directory/", "/api/v1/candidates")):
            assert "403" in statuses(operation), f"{method.upper()} {path}"


def test_every_error_body_requires_code_and_message(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            schema = response["content"]["application/json"]["schema"]
            shapes = [resolve(document, s["$ref"]) for s in schema.get("anyOf", [schema])]
            for shape in shapes:
                assert {"code", "message"} <= set(shape.get("required", [])), f"{method.upper()} {path} {status}"
