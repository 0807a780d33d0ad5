"""Settings for the test suite: titrepro.settings in TITREPRO_ENV=test mode.

pytest-django imports the settings before any conftest.py runs, so the mode
cannot be set from a conftest; pytest points DJANGO_SETTINGS_MODULE here
instead (pyproject.toml, [tool.pytest.ini_options]). The variable is set in the
environment, not only read, so subprocesses started by tests see it too.
"""

import os

os.environ["TITREPRO_ENV"] = "test"

from titrepro.settings import *  # noqa: F403
