"""JSON-LD for the verifiable credentials: the contexts, read from files shipped in the package and never fetched,
and the canonical form (RDFC-1.0, pyld's URDNA2015) that a Data Integrity proof signs.

The canonical form is guarded before anything is signed (``../shared/reference/credentials.md``): pyld silently
drops a term that no context defines, resolves a relative IRI against ``http://example.org/base/`` and leaves
control characters unescaped where RDFC-1.0 escapes them. Each of the three would make another verifier compute
other bytes than the ones we signed, so each is refused (``Unsafe``) instead.

Contexts are loaded once per process and tagged ``static``: pyld then keeps them processed between operations
(its resolved-context cache), which is most of the cost of a canonical form otherwise.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXTS = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# The URL of each context we ship, and its file.
SHIPPED = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
}

# The control characters pyld leaves unescaped where RDFC-1.0 escapes them: all but tab, line feed and carriage
# return, which both write \t, \n and \r.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PYLD_BASE = "http://example.org/base/"  # pyld's default base IRI: in a canonical form, a relative IRI resolved


class Unsafe(ValueError):
    """A document whose canonical form another verifier would not compute the same way; ``reason`` says why:
    ``dropped`` (a term no context defines), ``relative_iri``, ``control_character``, ``context`` (a context we do
    not ship), ``invalid`` (not JSON-LD)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@cache
def context(url: str) -> dict[str, Any]:
    """The shipped context at ``url``, parsed once per process; ``KeyError`` for one we do not ship."""
    document: dict[str, Any] = json.loads((CONTEXTS / SHIPPED[url]).read_text(encoding="utf-8"))
    return document


# Documents besides the shipped contexts that the loader serves: none in the application (a test adds the W3C
# examples context of its vectors).
EXTRA: dict[str, dict[str, Any]] = {}


def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader: a shipped context (or an extra document), else ``Unsafe`` (nothing is fetched)."""
    if url in SHIPPED:
        document = context(url)
    elif url in EXTRA:
        document = EXTRA[url]
    else:
        raise Unsafe("context", url)
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}


def _control_characters(value: Any, path: str = "") -> str | None:
    """The path of the first string of ``value`` that holds a control character, or None."""
    if isinstance(value, str):
        return path or "/" if CONTROL.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if CONTROL.search(key):
                return f"{path}/{key}"
            found = _control_characters(item, f"{path}/{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _control_characters(item, f"{path}/{index}")
            if found:
                return found
    return None


def canonical(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of ``document``; raises ``Unsafe`` (see the module's docstring)."""
    where = _control_characters(document)
    if where is not None:
        raise Unsafe("control_character", where)
    dropped: list[str] = []
    # One pass: the processor's own expansion (inside ``normalize``) reports the terms it drops.
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    try:
        quads: str = processor.normalize(
            document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": load}
        )
    except Unsafe:
        raise
    except jsonld.JsonLdError as error:
        cause = _unsafe_cause(error)
        if cause is not None:
            raise cause from error
        raise Unsafe("invalid", str(error)) from error
    if dropped:
        raise Unsafe("dropped", ", ".join(sorted(set(dropped))))
    if PYLD_BASE in quads:
        raise Unsafe("relative_iri", next(line for line in quads.splitlines() if PYLD_BASE in line))
    return quads


def _unsafe_cause(error: BaseException) -> Unsafe | None:
    """The ``Unsafe`` raised by our loader deep inside a pyld error, if that is what went wrong."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, Unsafe):
            return current
        seen.add(id(current))
        cause = getattr(current, "cause", None)
        current = cause if isinstance(cause, BaseException) else current.__cause__ or current.__context__
    return None
