"""The production section of the settings (issue 9, item 9): the cache table's deployment check.

The login throttle keeps its counters in Django's cache, the database cache in production; a
missing table would answer 500 on the login page. ``titrepro check --deploy --database default``
says so first (titrepro.E001), until ``titrepro createcachetable`` has run.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core import checks
from django.core.management import call_command
from django.test import override_settings

from titrepro.settings import cache_table_check

DB_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "titrepro_cache_check_test"}
}


@pytest.mark.django_db
def test_a_missing_cache_table_is_an_error_until_createcachetable() -> None:
    with override_settings(CACHES=DB_CACHE):
        run = checks.run_checks(tags=[checks.Tags.caches], include_deployment_checks=True, databases=["default"])
        assert [m.id for m in run if m.id == "titrepro.E001"] == ["titrepro.E001"]
        assert "createcachetable" in (run[-1].hint or "")
        call_command("createcachetable", database="default", verbosity=0)
        assert cache_table_check(databases=["default"]) == []


def test_the_check_reads_no_database_unless_asked() -> None:
    with override_settings(CACHES=DB_CACHE):
        assert cache_table_check(databases=None) == []


def test_local_memory_cache_needs_no_table() -> None:
    assert cache_table_check(databases=["default"]) == []  # tests and development: LocMemCache


def test_check_deploy_names_the_missing_table_with_production_settings(production_env: dict[str, str]) -> None:
    env = production_env

    def titrepro(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "titrepro", *args], env=env, capture_output=True, text=True, check=False
        )

    before = titrepro("check", "--deploy", "--database", "default")
    assert before.returncode != 0
    assert "titrepro.E001" in before.stderr
    assert "titrepro_cache" in before.stderr
    assert titrepro("createcachetable").returncode == 0
    after = titrepro("check", "--deploy", "--database", "default")
    assert "titrepro.E001" not in after.stderr + after.stdout
    assert after.returncode == 0
