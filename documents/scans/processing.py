"""Run `derivatives.py` in a child process with a memory and a time limit, and read its answer.

The worker calls `made_from(path, media_type)`. Whatever a file does to the program that decodes
it (a small PNG that unpacks to gigabytes, a PDF whose page takes minutes to draw), it happens in
a child process whose address space is capped (`resource.setrlimit(RLIMIT_AS)`,
`SCAN_PROCESS_MAX_MEMORY_MB`) and which is killed after `SCAN_PROCESS_TIMEOUT` seconds; the
worker only reads small files back, so its own memory stays flat. A child that fails raises
`NotProcessed` with the reason as a sentence, which the task stores on the scan.
"""

import json
import resource
import signal
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PROGRAM = Path(__file__).with_name("derivatives.py")


class NotProcessed(Exception):
    """The derivatives could not be made; str() is the reason, a sentence for the curator."""


@dataclass
class Made:
    width: int
    height: int
    pages: int
    thumbnail: Path
    display: Path
    public_pdf: Path | None
    # One per page: the IIIF image's facts (see derivatives.tile) and the folder of its files.
    images: list[dict]
    tiles: Path


@contextmanager
def made_from(original, media_type):
    """Yield the `Made` derivatives of the file at `original`; they are removed afterwards."""
    limit_mb = settings.SCAN_PROCESS_MAX_MEMORY_MB
    timeout = settings.SCAN_PROCESS_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="scan-") as out_dir:
        command = [
            sys.executable,
            "-I",
            str(PROGRAM),
            str(original),
            media_type,
            out_dir,
            str(settings.SCAN_MAX_PIXELS),
        ]
        try:
            child = subprocess.run(  # noqa: S603 - our own program, arguments we made
                command,
                capture_output=True,
                timeout=timeout,
                preexec_fn=_limits(limit_mb * 1024 * 1024, timeout),
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise NotProcessed(
                f"making its thumbnail took longer than {timeout} seconds, the limit "
                "(SCAN_PROCESS_TIMEOUT). Save it at a lower resolution, or as a JPEG image, and "
                "upload it again."
            ) from error
        answer = _answer(child.stdout)
        if child.returncode != 0 or "error" in answer:
            raise NotProcessed(_reason(child, answer, limit_mb))
        out = Path(out_dir)
        public = out / "public.pdf"
        yield Made(
            width=answer["width"],
            height=answer["height"],
            pages=answer["pages"],
            thumbnail=out / "thumbnail.jpg",
            display=out / "display.jpg",
            public_pdf=public if public.exists() else None,
            images=answer["images"],
            tiles=out / "iiif",
        )


def _limits(max_bytes, timeout):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
        # A backstop for the wall-clock timeout: CPU seconds, then SIGXCPU/SIGKILL.
        resource.setrlimit(resource.RLIMIT_CPU, (timeout + 1, timeout + 2))

    return apply


def _answer(stdout):
    lines = stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        return json.loads(lines[-1]) if lines else {}
    except ValueError:
        return {}


def _reason(child, answer, limit_mb):
    memory = (
        f"reading it needs more than {limit_mb:,} MB of memory, the limit "
        "(SCAN_PROCESS_MAX_MEMORY_MB). Save it at a lower resolution, or as a JPEG image, and "
        "upload it again."
    )
    error = answer.get("error")
    if error == "memory":
        return memory
    if error:
        return f"{error[0].upper()}{error[1:]}."
    stderr = child.stderr.decode("utf-8", "replace")
    if child.returncode < 0:
        signal_name = signal.Signals(-child.returncode).name
        if -child.returncode in (signal.SIGXCPU, signal.SIGKILL):
            return (
                f"making its thumbnail used more processor time than the limit ({signal_name}). "
                "Save it at a lower resolution and upload it again."
            )
        # A C library (Pillow's decoders, PDFium) that cannot allocate memory aborts or crashes.
        return f"the program reading it stopped ({signal_name}): {memory}"
    if "MemoryError" in stderr or "bad_alloc" in stderr or "out of memory" in stderr.lower():
        return memory
    last = stderr.strip().splitlines()[-1:] or ["no message"]
    return f"the program reading it failed ({last[0][:300]})."
