"""Public pages while curators edit: the same pages at rest and with one admin save a second.

Every save reaches each web process's index of published documents as a delta
(`documents.browse.index`): the pages must stay within twice their time at rest (issue 15). The
curator is a process of its own (`python -m benchmarks.editing`, run by `editing_suite`) that
signs in as the benchmark's superuser and saves a published document through the admin change
form once a second, correcting its title (which moves it in the title and date orders, the
hardest delta) or its summary, in turn. The pages are timed in this process with Django's test
client, as the other page suites are, and the first page after a save is among the timed ones.

Also timed: how long after a save its new title is on the public list, read by this process
(the issue's "visible within 1 s").
"""

import json
import os
import subprocess
import sys
import time

from benchmarks.timing import measure

SAVE_EVERY_SECONDS = 1.0
TITLE_MARK = "Aaaa corrected"  # sorts first by title, so the list's first page shows it


def _pages():
    from django.db.models import Count, Q
    from django.urls import reverse

    from archive_collections.models import Collection
    from documents.models import Document, Status

    collection = (
        Collection.objects.published()
        .annotate(n=Count("documents", filter=Q(documents__status=Status.PUBLISHED)))
        .order_by("-n")
        .first()
    )
    document = Document.objects.published().order_by("pk").first()
    pages = {
        "document list": reverse("documents:list"),
        "document list by title": reverse("documents:list") + "?sort=title",
        "document page": document.get_absolute_url(),
    }
    if collection is not None:
        pages["collection page"] = reverse("collections:detail", kwargs={"slug": collection.slug})
    return pages


def editing_suite(report, *, repeat, client):
    """Each page at rest, then while the curator process saves once a second, then the delay
    from a save to the public list."""
    pages = _pages()
    at_rest = {name: measure(client, url, repeat=repeat) for name, url in pages.items()}
    curator = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.editing", "--every", str(SAVE_EVERY_SECONDS)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        curator.stdout.readline()  # "ready": signed in, the first save made
        started = time.monotonic()
        editing = {name: measure(client, url, repeat=repeat) for name, url in pages.items()}
        seconds = time.monotonic() - started
    finally:
        curator.terminate()
        output, _ = curator.communicate(timeout=30)
    saves = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
    for name in pages:
        ours = dict(
            editing[name],
            saves_during=saves.get("saves"),
            saves_refused=saves.get("refused"),
            seconds=round(seconds, 1),
        )
        report.add("while curators edit", name, ours, [("same page at rest", at_rest[name])])
    report.add("while curators edit", "a save visible on the public list", _visible(client))


def _visible(client):
    """Seconds from a committed title correction (in another process) to the public list."""
    from django.urls import reverse

    from documents.models import Document

    document = Document.objects.published().order_by("-pk").first()
    title = f"{TITLE_MARK} {time.time_ns()}"
    client.get(reverse("documents:list") + "?sort=title")  # the index is current
    subprocess.run(
        [sys.executable, "-m", "benchmarks.editing", "--retitle", str(document.pk), title],
        check=True,
        env=os.environ.copy(),
    )
    saved = time.monotonic()
    while time.monotonic() - saved < 10:
        body = client.get(reverse("documents:list") + "?sort=title").content.decode()
        if title in body:
            return {"status": "ok", "visible_after_ms": round((time.monotonic() - saved) * 1000, 1)}
        time.sleep(0.01)
    return {"status": "failed: the corrected title was not on the list after 10 s"}


def _curate(every):
    """Save published documents through the admin change form, one every `every` seconds."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from benchmarks.admin_form import change_form_fields
    from documents.models import Document

    admin = Client()
    admin.force_login(get_user_model().objects.get(username="bench"))
    documents = list(Document.objects.published().order_by("pk").values_list("pk", flat=True)[:500])
    saves = refused = 0
    ready = False
    next_at = time.monotonic()
    try:
        while True:
            pk = documents[saves % len(documents)]
            url = reverse("admin:documents_document_change", args=[pk])
            html = admin.get(url).content.decode()
            current = Document.objects.get(pk=pk)
            if saves % 2:
                changes = {"summary": f"{current.summary} (checked)"[-2000:]}
            else:
                changes = {"title": f"{current.title} (corrected)"[-250:]}
            response = admin.post(url, dict_of(change_form_fields(html, **changes)))
            saves += 1
            refused += response.status_code != 302
            if not ready:
                print("ready", flush=True)
                ready = True
            next_at += every
            time.sleep(max(0.0, next_at - time.monotonic()))
    except KeyboardInterrupt:
        pass
    finally:
        print(json.dumps({"saves": saves, "refused": refused}), flush=True)


def dict_of(pairs):
    """The form's (name, value) pairs as the test client posts them (lists for repeats)."""
    found = {}
    for name, value in pairs:
        found.setdefault(name, []).append(value)
    return found


def _retitle(pk, title):
    from documents.models import Document

    document = Document.objects.get(pk=pk)
    document.title = title
    document.save()


def main():
    import argparse
    import signal

    import django

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=float, default=SAVE_EVERY_SECONDS)
    parser.add_argument("--retitle", nargs=2, metavar=("PK", "TITLE"))
    args = parser.parse_args()
    django.setup()
    if args.retitle:
        _retitle(int(args.retitle[0]), args.retitle[1])
        return
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    _curate(args.every)


if __name__ == "__main__":
    main()
