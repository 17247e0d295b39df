"""Issue 18, the handlers behind the fixes called directly: links and downloads keep what is on
screen (items 4, 5), explore draws any number of KPIs and explains what it cannot draw (1, 6, 13),
caseloads have a comparator named in words (11), the upload preview and history say enough (13)."""

from __future__ import annotations

import base64
import importlib
import io

import pandas as pd
import pytest
from plotly.subplots import make_subplots

from callbacks import upload as upload_handlers
from callbacks.overview import update_overview
from components.explore import explore_body, explore_figure, polarity_note, subplot_spacing
from domain.views.explore import DEFAULT_KPIS, PERCENT_OF_TARGET, explore_view
from layout_tree import text as text_of


def props(component, name):
    """Every value of a property in a component tree."""
    found = []
    if isinstance(component, (list, tuple)):
        for child in component:
            found += props(child, name)
        return found
    value = getattr(component, name, None)
    if value is not None:
        found.append(value)
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found += props(children, name)
    return found


# --- item 1: any number of KPIs ------------------------------------------------------------------

@pytest.mark.parametrize("rows", [1, 2, 17, 18, 34, 60])
def test_subplot_spacing_suits_any_number_of_rows(rows):
    spacing = subplot_spacing(rows)
    make_subplots(rows=rows, cols=1, vertical_spacing=spacing)  # raises when too large
    assert rows == 1 or 0 < spacing <= 1 / (rows - 1)


def test_eighteen_kpis_draw_as_eighteen_small_multiples(dataset):
    refs = [k.ref for k in dataset.plan.kpis][15:33]
    figure = explore_figure(explore_view(dataset, refs))
    assert len({trace.yaxis for trace in figure.data}) == 18


# --- item 6: empty charts without a reason -------------------------------------------------------

def test_from_after_to_says_so_and_draws_nothing(dataset):
    view = explore_view(dataset, DEFAULT_KPIS, "2017/18 Q2", "2016/17 Q1")
    assert view.range_error.startswith("From (2017/18 Q2) is after To (2016/17 Q1)")
    body = explore_body(view)
    assert props(body, "figure") == []
    assert "choose a From period on or before the To period" in text_of(body)


def test_an_unknown_kpi_is_named_and_the_picker_holds_what_is_shown(dataset):
    view = explore_view(dataset, ("99z",))
    assert view.refs == DEFAULT_KPIS
    assert view.errors == ("Not in the plan: 99z. Showing the default KPIs instead.",)
    mixed = explore_view(dataset, ("17A", "99z"))
    assert mixed.refs == ("17a",) and mixed.errors == ("Not in the plan: 99z.",)


def test_the_explore_page_controls_show_what_is_drawn(app):
    page_module = importlib.import_module("pages.explore")
    with app.server.test_request_context("/explore?kpi=99z&start=2015/16 Q1"):
        page = page_module.layout(kpi="99z", start="2015/16 Q1")
    values = {c.id: c.value for c in _dropdowns(page)}
    assert values["explore-kpi"] == list(DEFAULT_KPIS)
    assert values["explore-from"] == "2015-16Q1"  # the slug, whatever the URL's spelling
    assert "Not in the plan: 99z" in text_of(page)


def _dropdowns(component):
    from dash import dcc
    out = []
    if isinstance(component, (list, tuple)):
        for child in component:
            out += _dropdowns(child)
        return out
    if isinstance(component, dcc.Dropdown):
        return [component]
    children = getattr(component, "children", None)
    return _dropdowns(children) if children is not None and not isinstance(children, str) else []


# --- item 13: % of target with areas, comparators and which side is better -----------------------

def test_percent_of_target_has_areas_and_says_which_side_is_better(dataset, app):
    from runtime.context import current_published
    from callbacks.explore import published_comparators

    view = explore_view(dataset, ("17a", "12a"), areas=("North",), mode=PERCENT_OF_TARGET)
    with app.server.test_request_context():
        traces, _ = published_comparators(view, current_published(), "801")
    figure = explore_figure(view, traces)
    names = [t.name for t in figure.data]
    assert "17a North" in names
    assert "17a (target 60, lower is better)" in names
    assert any(n.startswith("17a: England") for n in names)
    north = next(t for t in figure.data if t.name == "17a North")
    first = dataset.observations("17a", "North")[0]
    assert north.y[0] == pytest.approx(first.value / 60 * 100)
    assert polarity_note(view) == ("Lower is better for 17a: below 100% of the target is "
                                   "better. Higher is better for 12a: above 100% of the target "
                                   "is better.")


# --- items 4 and 5: links and downloads keep what is on screen -----------------------------------

def test_overview_tiles_and_downloads_carry_the_filters(dataset):
    body, _ = update_overview(dataset, "2016-17Q4", ["5"], [], ["RED"])
    hrefs = props(body, "href")
    tile = next(h for h in hrefs if h.startswith("/kpi/"))
    assert tile.endswith("?asat=2016-17Q4&theme=5&status=RED")
    download = next(h for h in hrefs if h.startswith("/export/kpis.csv"))
    assert download == "/export/kpis.csv?theme=5&status=RED&asat=2016-17Q4"


def test_kpi_downloads_hold_the_kpis_the_filters_show(client, dataset):
    frame = pd.read_csv(io.BytesIO(client.get("/export/kpis.csv?theme=5").data))
    assert frame["KPI"].tolist() == [k.ref for k in dataset.plan.kpis if k.theme == 5]
    asat = dataset.resolve_asat("2016-17Q4")
    red = [ref for ref, s in dataset.kpi_statuses(asat).items() if s.status.value == "RED"]
    frame = pd.read_csv(io.BytesIO(
        client.get("/export/kpis.csv?status=RED&asat=2016-17Q4").data))
    assert frame["KPI"].astype(str).tolist() == red
    officer = dataset.plan.kpi("19a").responsible_officer
    frame = pd.read_excel(io.BytesIO(client.get("/export/kpis.xlsx",
                                                query_string={"officer": officer}).data))
    assert set(frame["Responsible officer"]) == {officer}
    actions = pd.read_csv(io.BytesIO(client.get("/export/actions.csv?theme=6").data))
    assert actions["Action"].tolist() == [a.ref for a in dataset.plan.actions if a.theme == 6]


def test_explore_downloads_hold_the_charts_data(client):
    frame = pd.read_csv(io.BytesIO(client.get(
        "/export/explore.csv?kpi=17a,18a&area=North&start=2016-17Q1").data))
    assert set(frame["KPI"]) == {"17a", "18a"}
    assert {"Whole authority", "North", "Rolling four-quarter average"} <= set(frame["Series"])
    assert frame["Period"].min() >= "2016/17 Q1"
    assert client.get("/export/explore.xlsx").status_code == 200


def test_the_kpi_page_keeps_the_period_and_filters_in_every_link(app):
    page_module = importlib.import_module("pages.kpi")
    with app.server.test_request_context("/kpi/18a"):
        page = page_module.layout(ref="18a", asat="2016-17Q4", theme="5", status="RED",
                                  la="383")
    hrefs = props(page, "href")
    assert "/?theme=5&status=RED&asat=2016-17Q4" in hrefs  # Back to the overview
    compare = next(f for f in props(page, "action") if "#kpi-comparators" in f)
    assert compare == "/kpi/18a#kpi-comparators"  # comes back to the comparators
    hidden = {(c.name, c.value) for c in _inputs(page)}
    assert {("asat", "2016-17Q4"), ("theme", "5"), ("status", "RED"), ("la", "383")} <= hidden
    text = text_of(page)
    assert "Status as at 2016/17 Q4" in text


def _inputs(component):
    from dash import dcc
    out = []
    if isinstance(component, (list, tuple)):
        for child in component:
            out += _inputs(child)
        return out
    if isinstance(component, dcc.Input):
        return [component]
    children = getattr(component, "children", None)
    return _inputs(children) if children is not None and not isinstance(children, str) else []


def test_a_kpi_ref_in_capitals_opens_its_page(app):
    page_module = importlib.import_module("pages.kpi")
    with app.server.test_request_context("/kpi/17A"):
        page = page_module.layout(ref="17A")
    assert "KPI not found" not in text_of(page)
    assert "Area social work unit average caseload" in text_of(page)


def test_navigation_carries_the_period_to_the_board_pack():
    from components.shell import NAV_CARRIES, app_shell

    shell = app_shell(None, role="viewer")
    carried = {item.to_plotly_json()["props"].get("data-path"):
               item.to_plotly_json()["props"].get("data-carry") for item in _lis(shell)}
    assert carried["/report"] == "asat"
    assert set(NAV_CARRIES) <= set(carried)


def _lis(component):
    from dash import html
    out = []
    if isinstance(component, (list, tuple)):
        for child in component:
            out += _lis(child)
        return out
    if isinstance(component, html.Li) and "data-path" in component.to_plotly_json()["props"]:
        return [component]
    children = getattr(component, "children", None)
    return _lis(children) if children is not None and not isinstance(children, str) else []


# --- item 11: caseload comparators, named in words ----------------------------------------------

def test_caseloads_have_an_indicative_comparator_named_in_words(app):
    page_module = importlib.import_module("pages.kpi")
    for ref in ("17a", "17b", "17c"):
        with app.server.test_request_context(f"/kpi/{ref}"):
            page = page_module.layout(ref=ref)
        text = text_of(page)
        assert "is not mapped to a published measure" not in text
        assert "Average caseload per FTE children's social worker, DfE children's social work " \
               "workforce" in text
        assert "Indicative comparator" in text and f"{ref} is " in text
        assert "caseload_fte" not in text


# --- item 13: the upload preview and the history -------------------------------------------------

def _data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


def test_the_preview_shows_the_kpis_name_unit_and_previous_value(app):
    content = b"kpi_ref,period,value\n17a,2017/18 Q3,66.0\n"
    with app.server.test_request_context("/upload"):
        blocks, disabled = upload_handlers.report_view(_data_url(content), "q3.csv")
    text = text_of(blocks)
    assert not disabled
    assert "Area social work unit average caseload" in text
    assert "cases per worker" in text
    assert "67.2 (2017/18 Q2)" in text  # the value before, as the KPI shows it


def test_the_history_says_who_undid_and_redid_a_batch(app, token_for):
    """Each change is made by whoever the request is signed in as (runtime/changes.py)."""
    content = b"kpi_ref,period,value\n17a,2017/18 Q2,66.0\n"

    tokens = {name: token_for("admin", name) for name in ("Pat Performance", "Sam Supervisor")}

    def signed_in_as(name: str):
        headers = {"Authorization": f"Bearer {tokens[name]}"}
        return app.server.test_request_context("/upload", headers=headers)

    with signed_in_as("Pat Performance"):
        upload_handlers.commit_view(_data_url(content), "fix.csv")
        batch_id = app.server.config["RETURNS_STORE"].batches()[0].id
    with signed_in_as("Sam Supervisor"):
        upload_handlers.batch_action_view("undo", batch_id)
        history = text_of(upload_handlers.history_view())
        assert "rolled back by Sam Supervisor, " in history
    with signed_in_as("Pat Performance"):
        upload_handlers.batch_action_view("redo", batch_id)
        history = text_of(upload_handlers.history_view())
    assert "active (redone by Pat Performance, " in history


def test_a_file_of_blank_values_has_nothing_to_commit(app, token_for):
    content = b"kpi_ref,period,value\n17a,2017/18 Q3,\n"
    headers = {"Authorization": f"Bearer {token_for('admin', 'Pat')}"}
    with app.server.test_request_context("/upload", headers=headers):
        blocks, disabled = upload_handlers.report_view(_data_url(content), "blank.csv")
        message, changed = upload_handlers.commit_view(_data_url(content), "blank.csv")
    assert disabled and not changed
    assert "no values to store" in text_of(blocks) and "no values to store" in text_of(message)
