"""Every page carries a Content-Security-Policy under which inline scripts and styles do not run,
and no template of ours relies on inline code (the browser tests check the pages they visit)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# <script> elements without src= that are not data blocks (JSON-LD, json_script's JSON).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def policy(response):
    return dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/collections/", "/documents/", "/no-such-page/"])
def test_public_pages_allow_scripts_and_styles_only_from_the_site_itself(client, path):
    directives = policy(client.get(path))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in client.get(path)["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_and_its_sign_in_page_carry_the_same_policy(client, curator):
    assert policy(client.get("/admin/login/"))["script-src"] == "'self'"
    client.force_login(curator)
    assert policy(client.get("/admin/documents/document/add/"))["style-src"] == "'self'"


@pytest.mark.django_db
def test_a_page_served_from_the_page_cache_carries_the_policy(client, page_cache):
    client.get("/collections/")
    cached = client.get("/collections/")
    assert cached["X-Archive-Cache"] == "hit"
    assert policy(cached)["script-src"] == "'self'"


def test_no_template_has_an_inline_script_handler_or_style():
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            for kind, pattern in [
                ("inline script", INLINE_SCRIPT),
                ("inline event handler", INLINE_HANDLER),
                ("inline style", INLINE_STYLE),
            ]:
                if pattern.search(line):
                    found.append(f"{template.relative_to(TEMPLATES)}:{number}: {kind}")
    assert found == []
