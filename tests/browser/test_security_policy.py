"""The site's Content-Security-Policy refuses inline scripts, and the browser tests notice.

The hook in conftest.py fails any browser test during which chromium refused something; these
tests prove that it catches a refusal, and walk the admin pages the journeys do not reach.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.public.records import build_archive

PASSWORD = "a-long-test-password"


def with_inline_code(route):
    """The site's real page and headers, with an inline script and an inline handler added."""
    response = route.fetch()
    body = response.text().replace(
        "</main>",
        '<script>document.title = "inline script ran";</script>'
        '<img src="/no-such-image" alt="" onerror="document.title = \'inline handler ran\'">'
        "</main>",
    )
    route.fulfill(response=response, body=body)


@pytest.mark.django_db(transaction=True)
def test_an_inline_script_on_a_page_is_refused_and_fails_the_browser_test(
    live_server, page, csp_watch
):
    page.route(f"{live_server.url}/collections/", with_inline_code)

    page.goto(f"{live_server.url}/collections/")
    page.wait_for_load_state("load")

    assert page.title() not in {"inline script ran", "inline handler ran"}
    csp_watch.settle()
    refused = "\n".join(csp_watch.violations)
    assert "script-src" in refused and "/collections/" in refused
    with pytest.raises(pytest.fail.Exception, match="refused content under the Content-Security"):
        csp_watch.check()
    csp_watch.violations.clear()  # refused on purpose: this test passes


# A browser test of its own, run by a separate pytest with this directory's conftest.py.
VIOLATING_TEST = """
import pytest

from tests.browser.test_security_policy import with_inline_code


@pytest.mark.django_db(transaction=True)
def test_visits_a_page_with_an_inline_script(live_server, page):
    page.route(f"{live_server.url}/collections/", with_inline_code)
    page.goto(f"{live_server.url}/collections/")
"""


def test_a_browser_test_whose_page_has_an_inline_script_fails_naming_the_refusal(tmp_path):
    (tmp_path / "conftest.py").write_text("from tests.browser.conftest import *  # noqa: F403\n")
    (tmp_path / "test_violating.py").write_text(textwrap.dedent(VIOLATING_TEST))
    base = str(settings.BASE_DIR)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-c", f"{base}/pyproject.toml"]
        + ["--rootdir", base, str(tmp_path)],
        cwd=base,
        # Its own SQLite database: on PostgreSQL it would reuse (and drop) this run's test database.
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
            "PYTHONPATH": base,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "1 failed" in result.stdout, result.stdout + result.stderr
    assert "The browser refused content under the Content-Security-Policy" in result.stdout
    assert "script-src" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_admin_pages_run_with_the_policy_and_nothing_is_refused(
    live_server, page, django_user_model
):
    records = build_archive()
    django_user_model.objects.create_superuser("ada", "", PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()

    document = records.bagirov_letter
    for path in [
        "/admin/",
        "/admin/documents/document/",
        "/admin/documents/document/add/",
        f"/admin/documents/document/{document.pk}/change/",
        f"/admin/documents/document/{document.pk}/history/",
        "/admin/documents/document/import/",
        "/admin/documents/document/export/",
        "/admin/documents/person/",
        f"/admin/documents/person/{records.bagirov.pk}/change/",
        "/admin/collections/collection/",
        f"/admin/collections/collection/{records.collection.pk}/change/",
        "/admin/auth/user/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
