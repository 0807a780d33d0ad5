"""JSON-LD for the verifiable credentials: the contexts, read from files shipped in the package and never fetched,
and the canonical form (RDFC-1.0, pyld's URDNA2015) that a Data Integrity proof signs.

The canonical form is guarded before anything is signed (``../shared/reference/credentials.md``): pyld silently
drops a term that no context defines, resolves a relative IRI against ``http://example.org/base/`` and leaves
control characters unescaped where RDFC-1.0 escapes them. Each of the three would make another verifier compute
other bytes than the ones we signed, so each is refused (``Unsafe``) instead.

Contexts are loaded once per process and tagged ``static``: pyld then keeps them resolved between operations.
Processing them is still most of the cost of a canonical form: pyld caches a processed context per active context,
keyed by a random UUID, and every type-scoped context (OB 3.0 has one per type: Achievement, Alignment, Profile…)
starts from a fresh copy of the active context, with a fresh UUID, so the cache never hits. ``_stable_scopes``
gives that copy a UUID derived from its parent's, so the same scope over the same context is processed once per
process; ``_cheap_context_keys`` keeps the JCS key pyld computes for each such scoped context (docs/decisions/0043;
pyld is pinned to the version this was written for, and the W3C and 1EdTech vectors, a test against pyld
without them and the independent verifiers check the bytes).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from frozendict import frozendict
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


PYLD_VERSION = "3.3.0"


def _stable_scopes() -> None:
    """Wrap pyld's ``_process_context``: a non-propagating (type-scoped) local context over an active context that
    has no previous context is applied to a copy of it whose UUID derives from the parent's. pyld makes the same
    copy (``_clone_active_context`` and ``previousContext``) with a random UUID; the content is the same, so the
    processed context it caches under the derived UUID is the one it would compute again. Only a local context
    given as an object without ``@propagate`` is handled so (the case where pyld's own choice is certain); every
    other call goes through unchanged."""
    processor = jsonld.JsonLdProcessor
    original = processor._process_context
    if getattr(original, "stable_scopes", False):
        return

    def process_context(self: Any, active_ctx: Any, local_ctx: Any, options: Any, *args: Any, **kwargs: Any) -> Any:
        propagate = kwargs.get("propagate", args[1] if len(args) > 1 else True)
        if (
            propagate is False
            and isinstance(local_ctx, dict | frozendict)
            and "@propagate" not in local_ctx
            and "@context" not in local_ctx
            and "_uuid" in active_ctx
            and not active_ctx.get("previousContext")
        ):
            scoped = self._clone_active_context(active_ctx)
            scoped["previousContext"] = active_ctx
            scoped["_uuid"] = f"{active_ctx['_uuid']}|scoped"
            rest = dict(kwargs)
            rest["propagate"] = True
            positional = list(args)
            if len(positional) > 1:
                positional[1] = True
                rest.pop("propagate")
            return original(self, scoped, local_ctx, options, *positional, **rest)
        return original(self, active_ctx, local_ctx, options, *args, **kwargs)

    process_context.stable_scopes = True  # type: ignore[attr-defined]
    process_context.original = original  # type: ignore[attr-defined]
    processor._process_context = process_context


KEYS = 1024  # the cache keys kept (a scoped context of the OB context is one; a few dozen in all)


def _cheap_context_keys() -> None:
    """pyld's resolver keys every context given as an object by its JCS serialisation, computed again at each
    use. The same scoped context of a shipped context is the same objects every time: its key is kept, found by
    the identities of its members. The cache holds those members (an identity is never reused while it is there)
    and contexts are never changed once loaded, so a key found is the one JCS would compute again."""
    from pyld import context_resolver

    original = context_resolver.canonicalize
    if getattr(original, "cheap_keys", False):
        return
    keys: OrderedDict[tuple[tuple[str, int], ...], tuple[Any, bytes]] = OrderedDict()
    lock = threading.Lock()  # a web server's threads verify badges at the same time

    def canonicalize(value: Any, *args: Any, **kwargs: Any) -> bytes:
        if args or kwargs or not isinstance(value, dict):
            result: bytes = original(value, *args, **kwargs)
            return result
        identity = tuple((key, id(item)) for key, item in value.items())
        with lock:
            found = keys.get(identity)
            if found is not None:
                keys.move_to_end(identity)
                return found[1]
        key: bytes = original(value)
        with lock:
            keys[identity] = (list(value.values()), key)
            if len(keys) > KEYS:
                keys.popitem(last=False)
        return key

    canonicalize.cheap_keys = True  # type: ignore[attr-defined]
    canonicalize.original = original  # type: ignore[attr-defined]
    context_resolver.canonicalize = canonicalize


if version("pyld") == PYLD_VERSION:
    _stable_scopes()
    _cheap_context_keys()
