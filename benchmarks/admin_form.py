"""What a browser posts back from an admin change form, read from the page's HTML.

The load benchmark's curators (over HTTP) and the concurrency tests (through Django's test
client) both save a record the way a person does: GET the change form, change a field, POST
every field the form holds. Reading the HTML, not the view's context, works on any server.
"""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in SKIPPED_INPUTS:
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if "checked" in attrs else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the one line break Django writes after <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select["options"] if selected]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0][0]]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None


def change_form_fields(html, *, model="document", **changes):
    """The (name, value) pairs a browser would post from the change form in `html`.

    `changes` replace a field's value (and add it if the form lacks it). The empty inline
    templates (`__prefix__`) are left out, as Django ignores them.
    """
    parser = _FormFields(f"{model}_form")
    parser.feed(html)
    fields = [(name, value) for name, value in parser.fields if "__prefix__" not in name]
    fields = [(name, value) for name, value in fields if name not in changes]
    return fields + list(changes.items())


def csrf_token(html):
    """The csrfmiddlewaretoken value in a page's form (the login page's, for instance)."""
    parser = _FormFields("login-form")
    parser.feed(html)
    return dict(parser.fields).get("csrfmiddlewaretoken")
