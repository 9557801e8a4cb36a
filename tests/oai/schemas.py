"""The OAI-PMH, oai_dc and MODS schemas, read from tests/oai/data/schemas/ (see its README).

`validate(content)` checks a response against OAI-PMH 2.0 and each record's metadata against
its format's schema, and returns the parsed response.
"""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "data" / "schemas"
OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {
    "oai": OAI,
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "mods": "http://www.loc.gov/mods/v3",
}


class _Local(etree.Resolver):
    """Every schema an import names (by URL or by file name) is one of the shipped files."""

    def resolve(self, url, pubid, context):
        path = SCHEMAS / url.rsplit("/", 1)[-1]
        if not path.exists():
            raise AssertionError(f"A schema imports {url}, which tests/oai/data/schemas lacks.")
        return self.resolve_filename(str(path), context)


# OAI-PMH's <metadata> holds one element of any namespace, checked strictly: the schema of each
# format must be known to the validator, so the three are imported together.
_IMPORTS = {
    OAI: "OAI-PMH.xsd",
    NS["oai_dc"]: "oai_dc.xsd",
    NS["mods"]: "mods-3-7.xsd",
}


@cache
def oai_schema():
    """OAI-PMH 2.0 with the oai_dc and MODS 3.7 schemas its records' metadata is checked by."""
    imports = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{name}"/>'
        for namespace, name in _IMPORTS.items()
    )
    driver = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    root = etree.fromstring(driver, parser, base_url=f"{SCHEMAS}/driver.xsd")
    return etree.XMLSchema(root)


def validate(content):
    """The response parsed, once it and every metadata record in it are valid."""
    tree = etree.fromstring(content, etree.XMLParser(no_network=True, resolve_entities=False))
    checker = oai_schema()
    if not checker.validate(tree):
        raise AssertionError(f"The response is not valid: {checker.error_log}")
    return tree
