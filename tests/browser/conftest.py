"""Browser tests: Playwright drives Debian's chromium against Django's live server.

Every browser context the tests open watches for Content-Security-Policy violations (the page's
`securitypolicyviolation` events and chromium's "Refused to ..." console errors), and a test
during which the browser refused anything fails, naming the page and the directive.
"""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# As root, in a sandbox with no network but the package registries, chromium needs these flags;
# without the background-networking ones it keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Installed in every page before the page's own scripts (Playwright init scripts are not subject
# to the page's policy); reports each violation to Python through an exposed binding.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.documentURI}: ${event.effectiveDirective} refused ${event.blockedURI || "?"}` +
    ` at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`.trimEnd()
  );
}, true);
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class CspWatch:
    """The violations reported by the browser contexts of one test."""

    def __init__(self):
        self.violations = []
        self.contexts = []

    def watch(self, context):
        self.contexts.append(context)
        context.expose_function("reportCspViolation", self.report)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self.console_message)

    def report(self, violation):
        self.violations.append(violation)

    def console_message(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"{message.location.get('url', '?')}: {message.text}")

    def settle(self):
        """Let reports the pages have queued reach Python."""
        for context in self.contexts:
            for page in context.pages:
                if not page.is_closed():
                    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")

    def check(self):
        self.settle()
        if self.violations:
            pytest.fail(
                "The browser refused content under the Content-Security-Policy:\n"
                + "\n".join(dict.fromkeys(self.violations)),
                pytrace=False,
            )


@pytest.fixture
def csp_watch(request):
    request.node.csp_watch = CspWatch()
    return request.node.csp_watch


@pytest.fixture
def new_context(new_context, csp_watch):
    """pytest-playwright's context maker, with every context it makes watched for violations."""

    def make(**kwargs):
        context = new_context(**kwargs)
        csp_watch.watch(context)
        return context

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    if watch := getattr(item, "csp_watch", None):
        watch.check()
    return result
