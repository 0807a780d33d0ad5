"""Fixtures shared by the whole test suite.

The database is the one DATABASE_URL names (SQLite when unset, PostgreSQL in
CI): titrepro.settings parses it with dj-database-url and pytest-django creates
and drops the test database (test_<name>) on that server.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from titrepro.catalogue.services import LoadReport, load_builtin

LOCAL_HOSTS = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NetworkAccessBlocked(RuntimeError):
    """A test tried to reach a host other than this machine."""


def is_local(host: object) -> bool:
    """Whether a host name or address is this machine (127.0.0.0/8, ::1, localhost)."""
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    host = host.strip("[]").split("%", 1)[0]
    if host.lower() in LOCAL_HOSTS or host == "":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every connection and name lookup that leaves the machine.

    Local sockets (AF_UNIX, loopback: live_server, PostgreSQL on 127.0.0.1)
    are allowed. libpq connects from C and is not affected either way.
    """
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            raise NetworkAccessBlocked(f"Tests may not reach the network (connection to {address!r})")

    def connect(self: socket.socket, address: Any) -> None:
        check(self, address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self, address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not is_local(host):
            raise NetworkAccessBlocked(f"Tests may not reach the network (name lookup of {host!r})")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files (portfolios) go to the test's own folder, never to the checkout's."""
    settings.MEDIA_ROOT = str(tmp_path / "private-media")


# Every département code (metropolitan, Corsica, overseas): the factories and the tests use some of them.
DEPARTEMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]


@pytest.fixture(scope="session")
def signing_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A development PKI made once for the run: a root CA and one signing key per département's authority
    (``credentials.keys.init_keys``); the documents issued in the tests are signed with them."""
    from titrepro.credentials import keys

    folder = tmp_path_factory.mktemp("keys")
    keys.init_keys(((d, f"Autorité {d}") for d in DEPARTEMENTS), folder=folder)
    return folder


@pytest.fixture(autouse=True)
def _signing_keys(settings: Any, signing_keys: Path) -> None:
    """The documents are signed with the run's keys, never with a folder of the checkout."""
    from titrepro.credentials import keys

    settings.TITREPRO_KEYS_DIR = signing_keys
    keys.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the rate limits and throttles count its own requests only."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings: Any, tmp_path: Path) -> None:
    """Each test its own audit checkpoint file, as it has its own database (never the current folder's)."""
    settings.TITREPRO_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def builtin_catalogue(db: None) -> LoadReport:
    """The titles shipped with titrepro (TSSR...), loaded into the test database.

    Works with `db` and with `transactional_db` / `live_server` (pytest-django
    then makes the whole test transactional, so a live server sees the rows).
    """
    return load_builtin()


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database the run uses, so a PostgreSQL run is visibly one."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    where = f"{database['HOST']}:{database['PORT']}" if database.get("HOST") else "test database in memory"
    return f"database: {engine} ({where}), TITREPRO_ENV={settings.ENV}"


@pytest.fixture
def admin_client(client: Client, admin_user: Any) -> Client:
    """pytest-django's admin_client, past the staff second factor (accounts.SecondFactorMiddleware)."""
    from tests.helpers import login_as

    login_as(client, admin_user)
    return client
