"""Component ids are declared once, in components/ids.py: every id the app draws or wires a
callback to is declared there, no page, component or callback types one as a string, and the
JavaScript in assets/ lists the ids it reads, each of them declared."""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import dash
import pytest
from layout_tree import components

from components import ids

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
IDS_COMMENT = re.compile(r"Ids read here \(components/ids\.py\):\s*(?P<ids>[^.]*)\.")
ID_LIKE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
JS_STRING = re.compile(r"\"([^\"\\\n]*)\"|'([^'\\\n]*)'")


def declared() -> set[str]:
    return {value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)}


def families() -> list[re.Pattern]:
    """The numbered ids the module's one-argument functions make (theme-4, comparator-chart-0)."""
    out = []
    for name, function in vars(ids).items():
        if inspect.isfunction(function) and function.__module__ == ids.__name__ \
                and not name.startswith("_") and name != "label_for":
            out.append(re.compile(re.escape(function(9876)).replace("9876", r"\d+")))
    return out


def is_declared(component_id: str) -> bool:
    if component_id in declared() or any(f.fullmatch(component_id) for f in families()):
        return True
    control = component_id.removesuffix("-label")
    return control != component_id and ids.label_for(control) == component_id \
        and control in declared()


def _pattern_type(component_id) -> str:
    """A plain id, or the type of a pattern-matching one (a dict, or Dash's JSON of one)."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        component_id = json.loads(component_id)
    return component_id["type"] if isinstance(component_id, dict) else component_id


def test_the_declared_ids_are_distinct_and_spelled_alike():
    constants = {name: value for name, value in vars(ids).items()
                 if name.isupper() and isinstance(value, str)}
    assert len(set(constants.values())) == len(constants)
    assert all(name == value.upper().replace("-", "_") for name, value in constants.items())


def test_every_id_a_page_draws_is_declared(app, dataset):
    drawn = set()
    queries = {"kpi": [{"ref": "19a"}, {"ref": "16"}, {"ref": "nope"}],
               "overview": [{}, {"asat": "nonsense"}], "explore": [{}, {"view": "percent"}]}
    with app.server.test_request_context("/"):
        for module, page in dash.page_registry.items():
            for query in queries.get(module.removeprefix("pages."), [{}]):
                drawn |= {_pattern_type(c.id) for c in components(page["layout"](**query))
                          if getattr(c, "id", None)}
    assert len(drawn) > 80
    assert sorted(i for i in drawn if not is_declared(i)) == []


def test_every_id_a_callback_reads_or_writes_is_declared(app, client):
    client.get("/")  # Dash moves the callbacks onto the app on its first request
    wired = set()
    for callback in app.callback_map.values():
        outputs = callback["output"] if isinstance(callback["output"], list) \
            else [callback["output"]]
        wired |= {_pattern_type(o.component_id) for o in outputs}
        wired |= {_pattern_type(i["id"]) for i in callback["inputs"] + callback["state"]}
    wired = {i for i in wired if not i.startswith("_")}  # Dash's own (_pages_content, ...)
    assert len(wired) > 30
    assert sorted(i for i in wired if not is_declared(i)) == []


def _literal_ids(path: Path) -> list[str]:
    """Ids typed as strings: `id="..."` or an Input/Output/State of a string."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        values = [k.value for k in node.keywords if k.arg in ("id", "htmlFor")]
        if name in ("Input", "Output", "State") and node.args:
            values.append(node.args[0])
        found += [f"{path.name}:{node.lineno} {ast.unparse(v)}" for v in values
                  if isinstance(v, (ast.Constant, ast.JoinedStr))]
    return found


def test_no_page_component_or_callback_types_an_id():
    files = [path for folder in ("pages", "components", "callbacks")
             for path in sorted((ROOT / folder).rglob("*.py")) if path.name != "ids.py"]
    assert [found for path in files for found in _literal_ids(path)] == []


def test_the_check_for_typed_ids_would_catch_one(tmp_path):
    offender = tmp_path / "offender.py"
    offender.write_text('html.Div(id="typed"); Input(f"x-{n}", "value"); html.Div(id=ids.MAIN)\n')
    assert [found.split(" ", 1)[1] for found in _literal_ids(offender)] == ["'typed'", "f'x-{n}'"]


def js_ids(text: str) -> set[str]:
    """What a script uses as ids: id-like string literals (not aria-/data- attribute names)
    and `#name` in selectors."""
    found = set()
    for match in JS_STRING.finditer(text):
        literal = match[1] if match[1] is not None else match[2]
        if ID_LIKE.fullmatch(literal) and not literal.startswith(("aria-", "data-")):
            found.add(literal)
        found |= set(re.findall(r"#([a-z][a-z0-9-]*[a-z0-9])", literal))
    return found


@pytest.mark.parametrize("script", sorted(ASSETS.glob("*.js")), ids=lambda p: p.name)
def test_every_script_lists_the_ids_it_reads_and_each_is_declared(script):
    text = script.read_text(encoding="utf-8")
    comment = IDS_COMMENT.search(text)
    assert comment, f"{script.name} has no 'Ids read here (components/ids.py): ...' comment"
    listed = set() if comment["ids"].strip().startswith("none") else \
        {part.strip() for part in comment["ids"].split(",")}
    code = text.replace(comment.group(0), "")
    assert js_ids(code) == listed
    assert sorted(i for i in listed if i not in declared()) == []


def test_the_script_check_reads_literals_and_selectors():
    sample = ('document.getElementById("present-next"); x.querySelectorAll("#upload-file input");'
              " el.setAttribute('aria-label', 'x'); toLocaleTimeString('en-GB', '2-digit');")
    assert js_ids(sample) == {"present-next", "upload-file"}


def test_the_label_of_a_control_is_what_assets_a11y_js_makes():
    assert ids.label_for(ids.OVERVIEW_STATUS) == "overview-status-label"
    assert '"-label"' in (ASSETS / "a11y.js").read_text(encoding="utf-8")
