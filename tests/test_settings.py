"""The settings module is safe when DEBUG is off and refuses to start without a secret key."""

import os
import subprocess
import sys

from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")


def run_manage(*args, **env):
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=clean, capture_output=True, text=True, timeout=120
    )


def test_site_refuses_to_start_in_production_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_production_settings_pass_djangos_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-production-secret-that-is-long-and-random-enough-1234567890abcdef",
        ALLOWED_HOSTS="archive.example.org",
        SECURE_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_development_mode_needs_no_configuration():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
