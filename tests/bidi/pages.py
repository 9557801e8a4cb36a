"""Reading a page's HTML as a tree, to find what isolates a text: a <bdi> or an element with dir."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None" = None
    children: list = field(default_factory=list)  # Elements and strings

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def isolates(self):
        """Whether the element shows its content in its own direction (<bdi> or dir=auto)."""
        return self.tag == "bdi" or self.attrs.get("dir") == "auto"


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    tree = _Tree()
    tree.feed(html)
    return tree.root


def isolations(html, text):
    """The elements of the page that isolate exactly `text` (their whole content, trimmed)."""
    return [e for e in parse(html).walk() if e.isolates() and e.text().strip() == text]


def unisolated(html, text, *, within="main"):
    """The places inside `within` where `text` appears without an isolating element around it."""
    root = next(e for e in parse(html).walk() if e.tag == within)
    found = []
    for element in root.walk():
        for child in element.children:
            if isinstance(child, str) and text in child:
                node, isolated = element, False
                while node is not None:
                    if node.isolates() and text in node.text():
                        isolated = True
                        break
                    node = node.parent
                if not isolated:
                    found.append(element)
    return found
