import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.admin.conftest import curator_client, make_user  # noqa: F401 - shared fixtures
from tests.importing.conftest import importer  # noqa: F401 - a shared fixture

ROOT = Path(__file__).resolve().parents[2]


def _environment(database, media):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "PYTEST_", "DJANGO_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SECRET_KEY="insecure-key-for-the-test-suite-only",
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        STATIC_MANIFEST="0",
        DJANGO_SETTINGS_MODULE="archive_site.settings",
    )
    return env


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """An SQLite file with every migration applied, copied for each worker test."""
    folder = tmp_path_factory.mktemp("worker-template")
    database = folder / "archive.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_environment(database, folder / "media"),
        check=True,
    )
    return database


class Archive:
    """An archive on an SQLite file, driven by other processes: the worker and a curator."""

    def __init__(self, folder, template):
        self.database = folder / "archive.sqlite3"
        shutil.copy(template, self.database)
        self.media = folder / "media"
        self.env = _environment(self.database, self.media)
        self.workers = []
        self.log = folder / "worker.log"

    def set(self, **settings):
        self.env.update({key: str(value) for key, value in settings.items()})

    def drive(self, command, *args):
        """Run one command of tests/tasks/driver.py and return what it printed."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.tasks.driver", command, *map(str, args)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self):
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )
        self.workers.append(worker)
        return worker

    def query(self, sql, *params):
        """One row read straight from the database file, as another reader would."""
        with sqlite3.connect(self.database, timeout=30) as connection:
            return connection.execute(sql, params).fetchone()

    def wait_for(self, sql, *params, until, timeout=90):
        deadline = time.monotonic() + timeout
        while True:
            answer = self.query(sql, *params)
            if until(answer):
                return answer
            for worker in self.workers:
                assert worker.poll() is None, self.log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"Still {answer} after {timeout} s."
            time.sleep(0.2)

    def stop(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()


@pytest.fixture
def archive(tmp_path, migrated_database):
    archive = Archive(tmp_path, migrated_database)
    yield archive
    archive.stop()


def peak_memory_mb(process):
    """The most memory (resident) a running process has used, from /proc."""
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("No VmHWM in /proc: not Linux?")
