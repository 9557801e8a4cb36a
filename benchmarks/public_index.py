"""What the index of published documents costs each web process: memory and build time.

Each web process keeps its own index (`documents.browse.index.PublicIndex`), so its memory is
paid once per gunicorn worker. Measured in a fresh process (`python -m benchmarks.public_index`,
run by `public_index_suite`) as a worker meets it: the resident memory after Django is set up,
after the index is built, and after the first `/documents/` page (which adds the date order
that page sorts by), beside the bytes the index's own arrays hold. The build time is the first
request's wait in each worker after a start (later changes arrive as deltas).
"""

import json
import os
import subprocess
import sys
import time


def _resident_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def measure_here():
    """In this process: memory and time of building the index and serving the first list."""
    from django.test import Client

    from documents.browse import index

    Client().get("/unapi")  # the URLconf and the first imports, without the index
    before = _resident_mb()
    started = time.perf_counter()
    built = index.public_index()
    build_seconds = time.perf_counter() - started
    after_build = _resident_mb()
    started = time.perf_counter()
    response = Client().get("/documents/")
    first_page_seconds = time.perf_counter() - started
    after_page = _resident_mb()
    return {
        "status": "ok" if response.status_code == 200 else f"HTTP {response.status_code}",
        "documents": len(built.ids),
        "arrays_mb": round(built.nbytes() / 2**20, 1),
        "resident_before_mb": round(before, 1),
        "index_resident_mb": round(after_build - before, 1),
        "with_first_page_resident_mb": round(after_page - before, 1),
        "build_ms": round(build_seconds * 1000),
        "first_page_ms": round(first_page_seconds * 1000),
    }


def public_index_suite(report):
    """Run `measure_here` in a process of its own (this one already holds an index)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.public_index"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if done.returncode != 0:
        figures = {"status": f"failed: {done.stderr.strip()[-300:]}"}
    else:
        figures = json.loads(done.stdout.strip().splitlines()[-1])
    report.add("public index", "memory and build time per web process", figures)


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(measure_here()))
