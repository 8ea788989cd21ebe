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
        "API_KEY_PEPPER": secrets.token_urlsafe(32),
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


@pytest.mark.parametrize("pepper", ["", "short"])
def test_a_weak_api_key_pepper_stops_production(pepper):
    result = _check_deploy(API_KEY_PEPPER=pepper)
    assert result.returncode != 0
    assert "API_KEY_PEPPER must be a real secret of at least 32 characters" in result.stderr


def test_the_pepper_must_differ_from_the_secret_key():
    result = _check_deploy(SECRET_KEY="x" * 60, API_KEY_PEPPER="x" * 60)
    assert result.returncode != 0
    assert "API_KEY_PEPPER must differ from SECRET_KEY" in result.stderr


def _run_without_secrets(*args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CLAUSEWATCH_VAR_DIR": str(settings.VAR_DIR),
    }
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True,
        text=True, timeout=120, check=False,
    )


def test_tooling_runs_without_secrets():
    """makemigrations signs and hashes nothing: it needs no secrets to compare models."""
    result = _run_without_secrets("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_serving_refuses_to_start_without_secrets(module):
    result = _run_without_secrets("-c", f"import {module}")
    assert result.returncode != 0
    assert "Set the environment variables SECRET_KEY and API_KEY_PEPPER" in result.stderr


def test_a_worker_refuses_to_start_without_secrets():
    result = _run_without_secrets(
        "-c", "import django; django.setup(); from config.celery import _secrets_require; "
        "_secrets_require()",
    )
    assert result.returncode != 0
    assert "SECRET_KEY and API_KEY_PEPPER" in result.stderr


def test_keys_are_never_hashed_under_an_empty_pepper():
    from django.core.exceptions import ImproperlyConfigured

    from accounts.keys import key_hash

    with pytest.raises(ImproperlyConfigured, match="API_KEY_PEPPER"):
        key_hash("cw_live_x", pepper="")
