"""The accessibility statement page in the GOV.UK model form, linked from every page's footer."""

from __future__ import annotations

import json

from components.statement import COMPLIANCE_SENTENCES, statement_body
from domain.statement import load_statement


def _text(component) -> str:
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    if component is None or isinstance(component, (str, int, float)):
        return "" if component is None else str(component)
    return _text(getattr(component, "children", None))


def test_statement_has_the_model_sections_and_the_compliance_status():
    details = load_statement()
    text = _text(statement_body(details))
    for section in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems", "Enforcement procedure",
                    "Equality and Human Rights Commission", "Equality Commission for Northern "
                    "Ireland", "Technical information", "Non-accessible content",
                    "Preparation of this accessibility statement", "28 November 2026", "axe-core"):
        assert section in text
    assert COMPLIANCE_SENTENCES[details.compliance] in text
    assert "still to be filled in" in text  # the shipped file keeps placeholders


def test_page_is_served_and_linked_from_the_footer(client):
    page = client.get("/accessibility")
    assert page.status_code == 200
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert '"href": "/accessibility"' in layout
