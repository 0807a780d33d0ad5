"""Shared by the demo tests: the environment of a production process (every required setting)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """os.environ without the tests' own settings (TITREPRO_*, DATABASE_URL, the async escape hatch
    that the browser tests set), plus every setting production requires."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("TITREPRO_", "DJANGO_")) and k != "DATABASE_URL"}
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "titrepro.settings",  # not the tests' own
        "TITREPRO_ENV": "production",
        "TITREPRO_SECRET_KEY": "production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "TITREPRO_ALLOWED_HOSTS": "titrepro.example.org",
        "TITREPRO_PUBLIC_URL": "https://titrepro.example.org",
        "TITREPRO_AUDIT_KEY": "production-like-audit-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "TITREPRO_EMAIL_HOST": "smtp.example.org",
        "TITREPRO_EMAIL_HOST_USER": "titrepro",
        "TITREPRO_EMAIL_HOST_PASSWORD": "not-a-real-one",
        "TITREPRO_CONTACT_EMAIL": "contact@example.org",
        "TITREPRO_PUBLISHER": "Publisher",
        "TITREPRO_HOST_NAME": "Host",
        "TITREPRO_HOST_ADDRESS": "Address",
        "DATABASE_URL": f"sqlite:///{tmp_path}/production.sqlite3",
    }
