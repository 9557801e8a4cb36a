"""The site's Content-Security-Policy refuses inline scripts, and the browser tests notice.

The hook in conftest.py fails any browser test during which chromium refused something; these
tests prove that it catches a refusal, and walk the admin pages the journeys do not reach.
"""

import pytest
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
