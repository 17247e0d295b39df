"""Each page's `layout()` called as Dash calls it, inside a request to a fresh app, and what it
holds checked: the headings, the controls and their values, and what the filters leave.

A GET of a Dash page returns only the index shell (the layout is fetched by the browser later), so
the layouts are called directly here; the browser tests check them drawn.
"""

from __future__ import annotations

import dash
import pytest
from dash import dcc, html
from layout_tree import by_id, classed, components, ids_in, of_type, text

from components import ids
from domain.rules.rag import Rag


# --- the overview ---------------------------------------------------------------------------------

def test_overview_shows_every_kpi_as_at_the_latest_quarter(layout, dataset):
    page = layout("overview")
    latest = dataset.latest_quarter()
    assert text(of_type(page, html.H1)) == "Improvement plan overview"
    assert len(classed(page, "kpi-tile-item")) == len(dataset.plan.kpis) == 34
    assert text(by_id(page, ids.OVERVIEW_SUMMARY)) == f"Showing 34 of 34 KPIs as at {latest.label}."
    assert by_id(page, ids.OVERVIEW_ASAT).value == latest.slug
    assert {ids.theme_heading(t.number) for t in dataset.plan.themes} <= ids_in(page)
    assert {ids.OVERVIEW_THEME, ids.OVERVIEW_PERSON, ids.OVERVIEW_STATUS,
            ids.OVERVIEW_QUERY} <= ids_in(page)


def test_overview_filters_come_from_the_query(layout, dataset):
    page = layout("overview", theme="4", status="RED", asat="2016-17Q3")
    assert by_id(page, ids.OVERVIEW_THEME).value == ["4"]
    assert by_id(page, ids.OVERVIEW_STATUS).value == ["RED"]
    assert by_id(page, ids.OVERVIEW_ASAT).value == "2016-17Q3"
    tiles = classed(page, "kpi-tile")
    assert tiles and all("rag-border-red" in tile.className for tile in tiles)
    refs = {text(link).split()[0] for link in classed(page, "kpi-link")}
    assert refs and all(dataset.plan.kpi(ref).theme == 4 for ref in refs)
    assert {ids.theme_heading(n) for n in (1, 2, 3, 5, 6)}.isdisjoint(ids_in(page))
    expected = {ref for ref, status in dataset.kpi_statuses(dataset.resolve_asat("2016/17 Q3"))
                .items() if status.status is Rag.RED and dataset.plan.kpi(ref).theme == 4}
    assert refs == expected


def test_overview_with_a_bad_period_says_so_and_shows_the_latest(layout, dataset):
    page = layout("overview", asat="not a period")
    alerts = [c for c in components(page) if getattr(c, "role", None) == "alert"]
    assert len(alerts) == 1 and "'not a period' is not a reporting period" in text(alerts)
    assert by_id(page, ids.OVERVIEW_ASAT).value == dataset.latest_quarter().slug


# --- the actions ----------------------------------------------------------------------------------

def test_actions_lists_every_action_in_its_table(layout, dataset):
    page = layout("actions")
    assert text(of_type(page, html.H1)) == "Plan actions"
    body_rows = of_type(of_type(by_id(page, ids.ACTIONS_TABLE), html.Tbody), html.Tr)
    assert len(body_rows) == len(dataset.plan.actions) == 58


def test_actions_filtered_by_lead_keep_only_that_lead(layout, dataset):
    lead = "Headteacher Virtual School"
    page = layout("actions", lead=lead)
    assert by_id(page, ids.ACTIONS_PERSON).value == [lead]
    body_rows = of_type(of_type(by_id(page, ids.ACTIONS_TABLE), html.Tbody), html.Tr)
    expected = [a for a in dataset.plan.actions if lead in a.leads]
    assert len(body_rows) == len(expected) and 0 < len(expected) < 58
    assert all(lead in text(row) for row in body_rows)


# --- one KPI --------------------------------------------------------------------------------------

def test_kpi_page_holds_its_chart_status_spc_values_and_comparators(layout, dataset):
    page = layout("kpi", path="/kpi/19a", ref="19a")
    kpi = dataset.plan.kpi("19a")
    assert text(of_type(page, html.H1)) == f"19a {kpi.measure}"
    assert {ids.KPI_STATUS, ids.KPI_REASON, ids.KPI_CHART, ids.KPI_SPC_CHART, ids.KPI_VALUES,
            ids.KPI_ACTIONS, ids.KPI_COMPARATORS} <= ids_in(page)
    status = dataset.kpi_status("19a", dataset.latest_quarter())
    assert status.status.value in text(by_id(page, ids.KPI_STATUS))
    assert isinstance(by_id(page, ids.KPI_CHART), dcc.Graph) and by_id(page, ids.KPI_CHART).figure
    assert of_type(page, dcc.Link)[0].href == "/"


def test_kpi_page_as_at_an_earlier_period_links_back_to_that_period(layout):
    page = layout("kpi", path="/kpi/19a", ref="19a", asat="2016-17Q2")
    assert of_type(page, dcc.Link)[0].href == "/?asat=2016-17Q2"


def test_an_unknown_kpi_says_so_and_lists_the_plans_kpis(layout, dataset):
    page = layout("kpi", path="/kpi/nope", ref="nope")
    assert text(of_type(page, html.H1)) == "KPI not found"
    assert "'nope'" in text(page)
    assert [link.href for link in of_type(page, dcc.Link)] == \
        [f"/kpi/{k.ref}" for k in dataset.plan.kpis]


# --- the other pages ------------------------------------------------------------------------------

def test_data_quality_counts_the_findings_and_lists_every_rule(layout, dataset):
    from domain.rules.integrity import RULES

    page = layout("data_quality")
    assert text(by_id(page, ids.FINDINGS_COUNT)) == \
        f"{len(dataset.findings)} findings from {len(RULES)} rules."
    assert len(of_type(by_id(page, ids.RULE_LIST), html.Li)) == len(RULES)
    assert ids.LOAD_FAILURES_NONE in ids_in(page)


def test_explore_defaults_to_caseloads_and_workforce(layout):
    page = layout("explore", path="/explore")
    assert by_id(page, ids.EXPLORE_KPI).value == ["17a", "17b", "17c", "18a", "18b"]
    figure = by_id(page, ids.EXPLORE_CHART).figure
    assert figure and len(figure.data) >= 5
    assert isinstance(by_id(page, ids.EXPLORE_TABLE), html.Table)


def test_explore_keeps_the_kpis_in_the_query(layout):
    page = layout("explore", path="/explore", kpi="19a")
    assert by_id(page, ids.EXPLORE_KPI).value == ["19a"]


def test_present_carries_its_settings_and_starts_at_the_first_slide(layout):
    page = layout("present", path="/present", interval="10", theme="4,5")
    assert by_id(page, ids.PRESENT_CONFIG).data == {"interval": 10, "theme": "4,5", "asat": None}
    assert by_id(page, ids.PRESENT_STATE).data == {"index": 0, "paused": False}
    assert "Summary" in text(by_id(page, ids.PRESENT_SLIDE))


def test_report_has_a_section_per_theme_as_at_the_period_asked(layout, dataset):
    page = layout("report", path="/report", asat="2016-17Q4")
    assert text(by_id(page, ids.REPORT_ASAT)) == "2016/17 Q4"
    assert {ids.report_theme(t.number) for t in dataset.plan.themes} <= ids_in(page)


def test_upload_has_its_form_and_the_sample_batches_in_its_history(layout):
    page = layout("upload", path="/upload")
    assert isinstance(by_id(page, ids.UPLOAD_FILE), dcc.Upload)
    assert {ids.UPLOAD_COMMIT, ids.UPLOAD_TEMPLATE_LINK} <= ids_in(page)
    assert "upload-who" not in ids_in(page)  # the uploader is whoever signed in
    history_rows = of_type(of_type(by_id(page, ids.UPLOAD_HISTORY_TABLE), html.Tbody), html.Tr)
    # The embedded sample's returns and progress, and the shipped plan (managed on /plans).
    assert len(history_rows) == 3


def test_accessibility_statement_states_its_compliance(layout):
    page = layout("accessibility", path="/accessibility")
    assert "partially compliant" in text(by_id(page, ids.COMPLIANCE_STATUS))


def test_theme_page_has_its_outcome_history_kpis_and_actions(layout, dataset):
    # More in tests/callbacks/test_outcome_pages.py.
    page = layout("theme", path="/theme/2", n="2")
    assert text(by_id(page, ids.THEME_PAGE_TITLE)) == f"Theme 2: {dataset.plan.theme(2).title}"
    assert {ids.THEME_PAGE_OUTCOME, ids.THEME_PAGE_HISTORY, ids.THEME_PAGE_BOARD_CHANGES,
            ids.THEME_PAGE_KPIS, ids.THEME_PAGE_ACTIONS} <= ids_in(page)


def test_plans_lists_the_shipped_plan_and_its_import_in_the_history(layout):
    page = layout("plans", path="/plans")
    assert isinstance(by_id(page, ids.PLANS_FILE), dcc.Upload)
    assert {ids.PLANS_IMPORT, ids.PLANS_LIST, ids.PLANS_HISTORY} <= ids_in(page)
    assert "Getting to Good" in text(by_id(page, ids.PLANS_TABLE))
    rows = of_type(of_type(by_id(page, ids.PLANS_HISTORY_TABLE), html.Tbody), html.Tr)
    assert len(rows) == 1 and "plan import" in text(rows[0])


def test_action_page_has_its_facts_kpis_and_history(layout, dataset):
    # More in tests/callbacks/test_action_progress.py (issue 14).
    page = layout("action", path="/actions/1.1.2", action="1.1.2")
    action = dataset.plan.action("1.1.2")
    assert text(by_id(page, ids.ACTION_PAGE_TITLE)) == f"Action 1.1.2: {action.heading}"
    assert {ids.ACTION_PAGE_STATUS, ids.ACTION_PAGE_KPIS, ids.ACTION_PAGE_HISTORY_BODY} <= \
        ids_in(page)
    assert ids.ACTION_PROGRESS_SAVE not in ids_in(page)  # no one signed in: no form


def test_every_registered_page_is_checked_here():
    checked = {"overview", "actions", "kpi", "data_quality", "explore", "present", "report",
               "upload", "accessibility", "admin_users", "admin_tokens", "admin_displays",
               "admin_audit", "theme", "plans", "action"}
    assert {name.removeprefix("pages.") for name in dash.page_registry} <= checked


# --- what the server sends ------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/actions", "/data-quality", "/kpi/19a", "/kpi/nope"])
def test_every_page_is_served_as_the_index_shell(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<html lang="en-GB">' in response.data


def test_layout_request_gives_the_sample_banner(client):
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    assert b"Sample data" in response.data


def test_the_app_writes_only_into_its_data_dir(app, settings):
    assert settings.data_dir.is_dir()


def test_without_published_files_the_app_writes_and_labels_a_sample(tmp_path):
    from dataclasses import replace

    from app import Settings, create_app
    from domain.published.sample import SAMPLE_FILES

    settings = replace(Settings(data_dir=tmp_path / "var"), published_dir=None)
    client = create_app(settings).server.test_client()
    assert all((settings.data_dir / "published_sample" / name).exists() for name in SAMPLE_FILES)
    from runtime.context import current_published
    with client.application.test_request_context("/kpi/19a"):
        published = current_published()
        comparisons, failures = published.comparisons("19a", "801")
        assert published.is_sample and comparisons and not failures


# --- the admin pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("page, heading, table", [
    ("admin_users", "Users", ids.ADMIN_USERS_TABLE),
    ("admin_tokens", "API tokens", ids.ADMIN_TOKENS_TABLE),
    ("admin_displays", "Display links", ids.ADMIN_DISPLAYS_TABLE),
    ("admin_audit", "Audit log", ids.ADMIN_AUDIT_TABLE),
])
def test_each_admin_page_has_its_heading_and_its_table(layout, page, heading, table):
    drawn = layout(page)
    assert text(of_type(drawn, html.H1)) == heading
    assert table in ids_in(drawn)


def test_a_mapped_kpi_says_where_it_stands_among_all_authorities(layout):
    page = layout("kpi", path="/kpi/18a", ref="18a")
    section = by_id(page, ids.KPI_BENCHMARK)
    assert section is not None
    assert "ranked" in text(by_id(page, ids.KPI_BENCHMARK_SUMMARY))
    figure = by_id(page, ids.KPI_BENCHMARK_CHART).figure
    assert [a["text"] for a in figure.layout.annotations][:4] == [
        "Band A", "Band B", "Band C", "Band D"]
    rows = of_type(of_type(by_id(page, ids.KPI_BENCHMARK_TABLE), html.Tbody), html.Tr)
    assert rows and all(len(row.children) == 8 for row in rows)
    unmapped = layout("kpi", path="/kpi/1a", ref="1a")
    assert ids.KPI_BENCHMARK not in ids_in(unmapped)
