"""Production settings pass Django's deployment checklist; bad variables stop start-up."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    # A clean environment, not the test one: it sets SECURE_SSL_REDIRECT=0, which
    # production never does, and would hide exactly what this check is for.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # 67 characters
        "ALLOWED_HOSTS": "api.example.com",
        "CLAUSEWATCH_VAR_DIR": str(settings.VAR_DIR),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _check_deploy()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "check_id"),
    [
        ("SECURE_SSL_REDIRECT", "0", "security.W008"),
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("SECRET_KEY", "short-and-guessable", "security.W009"),
    ],
)
def test_the_checklist_catches_a_weakened_setting(variable, value, check_id):
    # Proof the check above can fail: each weakening trips its own warning.
    result = _check_deploy(**{variable: value})
    assert result.returncode != 0
    assert check_id in result.stderr


def test_a_bad_variable_stops_start_up_naming_it():
    result = _check_deploy(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr
