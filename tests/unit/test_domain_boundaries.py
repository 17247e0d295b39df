"""The domain package may not use Dash, Plotly, Flask or anything web (domain/README.md), and the
layers import downwards only (DESIGN section 7)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_DOMAIN = ("dash", "dash_bootstrap_components", "dash_ag_grid", "plotly", "flask",
                       "werkzeug", "requests")
LAYERS = ("app", "pages", "callbacks", "components", "domain")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "domain").rglob("*.py")), ids=lambda p: p.name)
def test_domain_imports_nothing_web(path):
    assert not imported_modules(path) & set(FORBIDDEN_IN_DOMAIN)


@pytest.mark.parametrize("layer", LAYERS[1:])
def test_layers_import_downwards_only(layer):
    higher = set(LAYERS[:LAYERS.index(layer)])
    for path in sorted((ROOT / layer).rglob("*.py")):
        assert not imported_modules(path) & higher, f"{path} imports a higher layer"


def test_the_boundary_check_would_catch_an_import(tmp_path):
    offender = tmp_path / "bad.py"
    offender.write_text("import plotly.express as px\nfrom dash import html\n")
    assert imported_modules(offender) & set(FORBIDDEN_IN_DOMAIN) == {"plotly", "dash"}
