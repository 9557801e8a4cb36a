"""The servers a benchmark starts on loopback: gunicorn serving the site, and redis-server.

Each starter returns the running process; `stop` ends it and its children. tests/deploy uses
`start_redis` too, so the page-cache tests run against the same real server.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_PORT = int(os.environ.get("BENCH_GUNICORN_PORT", "8026"))
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "56379"))


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    extra_env, *, port=GUNICORN_PORT, workers=2, app="benchmarks.wsgi:application", log=None
):
    """gunicorn serving `app` on 127.0.0.1:port, in its own process group.

    Its error output goes to `log` (an open file) when given: a long run's tracebacks would fill
    a pipe.
    """
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--limit-request-line",
            "0",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env={**os.environ, **extra_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if log is None else log,
        start_new_session=True,
    )
    if not wait_for_port(port):
        process.kill()
        raise RuntimeError("gunicorn did not start")
    return process


def ensure_command(command, package):
    """Whether `command` is on the PATH, installing Debian's `package` first where we may."""
    if shutil.which(command):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", package],
            check=False,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    return bool(shutil.which(command))


def start_redis(port, directory):
    """redis-server (Debian's package, installed if missing and we may) on 127.0.0.1:port,
    nothing saved to disk; None if it cannot be had."""
    if not ensure_command("redis-server", "redis-server"):
        return None
    binary = shutil.which("redis-server")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(port)
    return process


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
