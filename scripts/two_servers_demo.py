"""Two application servers, one archive: an edit saved through server A is served by server B.

Run by scripts/replica_demo.sh once both gunicorn servers are up (each reading public pages from
the streaming replica, writing to the primary, sharing Redis). A curator signs in on A and
corrects a document's title through the admin change form; a visitor then reads B's list sorted
by title, until the corrected title is first, and its document page. B's index of published
documents takes the change as a delta from the change log (its log says so); the script prints
how long after the save B served it, and exits non-zero if it did not within a few seconds.

    python scripts/two_servers_demo.py URL_A URL_B PK RECORD_ID USERNAME PASSWORD
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.admin_form import change_form_fields, csrf_token  # noqa: E402
from benchmarks.load import _browser, _request  # noqa: E402

GIVE_UP_SECONDS = 5


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def main(a, b, pk, record_id, username, password):
    curator = _browser()
    login = f"{a}/admin/login/?next=/admin/"
    _status, html = _request(curator, login)
    fields = {
        "csrfmiddlewaretoken": csrf_token(html) or "",
        "username": username,
        "password": password,
        "next": "/admin/",
    }
    status, _body = _request(curator, login, fields)
    if status != 302:
        fail(f"the curator could not sign in on server A (HTTP {status})")
    visitor = _browser()
    listing = f"{b}/documents/?sort=title"
    status, body = _request(visitor, listing)  # B's index is built and current
    if status != 200:
        fail(f"server B's list answered HTTP {status}")
    change_url = f"{a}/admin/documents/document/{pk}/change/"
    _status, html = _request(curator, change_url)
    title = f"Aaaa, corrected through server A at {time.strftime('%H:%M:%S')}"
    status, body = _request(curator, change_url, change_form_fields(html, title=title))
    saved = time.monotonic()
    if status != 302:
        fail(f"server A refused the save (HTTP {status})")
    print(f"   a curator saved {title!r} through server A ({a})")
    while True:
        status, body = _request(visitor, listing)
        if status == 200 and title in body:
            break
        if time.monotonic() - saved > GIVE_UP_SECONDS:
            fail(f"server B did not list the corrected title within {GIVE_UP_SECONDS} s")
        time.sleep(0.02)
    elapsed = (time.monotonic() - saved) * 1000
    print(f"   server B ({b}) lists it first by title {elapsed:.0f} ms after the save")
    status, body = _request(visitor, f"{b}/documents/{record_id}/")
    if status != 200 or title not in body:
        fail("server B's document page does not show the corrected title")
    print("   and its document page shows it")


if __name__ == "__main__":
    main(*sys.argv[1:7])
