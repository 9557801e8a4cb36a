"""`manage.py check --deploy` with the environment the README's "Deploying" section gives.

The environment is read from the README itself (its `export ...` line), so the documented
production settings and the checked ones are the same; every warning Django still reports must
be one the README explains, by its ID, in the paragraph about `check --deploy`.
"""

import os
import re
import secrets
import shlex
import subprocess
import sys

from django.conf import settings

README = (settings.BASE_DIR / "README.md").read_text()


def documented_environment():
    deploying = README.split("\n## Deploying\n", 1)[1]
    line = next(line for line in deploying.splitlines() if line.startswith("export "))
    environment = dict(word.split("=", 1) for word in shlex.split(line)[1:])
    assert environment["SECRET_KEY"] == "...", "the README shows no real key"
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    return environment


def explained_warnings():
    deploying = README.split("\n## Deploying\n", 1)[1]
    paragraph = next(p for p in deploying.split("\n\n") if p.startswith("**Deployment checks.**"))
    return set(re.findall(r"`([a-z_]+\.W\d+)`", paragraph))


def test_the_documented_production_settings_pass_check_deploy_but_for_explained_warnings():
    environment = documented_environment()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= environment.keys()
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "check", "--deploy"],
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    reported = set(re.findall(r"\(([a-z_]+\.[WE]\d+)\)", output))
    assert reported - explained_warnings() == set(), output
