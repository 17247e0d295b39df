"""The accessibility statement page (GOV.UK model form), linked from every footer, and a title
per page."""

from __future__ import annotations

import json

from components.statement import COMPLIANCE_SENTENCES, statement_body
from domain.ingest.statement import load_statement


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


def test_every_page_title_is_its_own(app):
    """WCAG 2.4.2: a title per page, and a missing KPI's page says so in its title."""
    import dash

    with app.server.test_request_context("/"):
        titles = {module: page["title"](ref="19a") if callable(page["title"]) else page["title"]
                  for module, page in dash.page_registry.items()}
        missing = dash.page_registry["pages.kpi"]["title"](ref="99z")
    assert len(set(titles.values())) == len(titles), titles
    assert app.title not in titles.values()
    assert titles["pages.kpi"] == "KPI 19a - Improvement plan"
    assert missing == "KPI not found - Improvement plan"
