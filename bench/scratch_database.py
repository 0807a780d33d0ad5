"""The benches' own PostgreSQL database: created for a run (a leftover one of that name dropped first), dropped
at its end. Its name must contain "bench", so that a bench never writes into a database it did not create."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def server(url: str, action: str) -> str:
    """Create (``action`` "create", dropping a leftover one) or drop (``"drop"``) the database ``url`` names,
    from the server's ``postgres`` database; its name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or "bench" not in name:
        sys.exit(f"--database must name a PostgreSQL database with 'bench' in its name, not {url!r}")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as maintenance:
        maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if action == "create":
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name
