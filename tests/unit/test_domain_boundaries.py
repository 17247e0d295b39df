"""The boundaries each folder's README states, checked on every module (docs/architecture.md).

- Layers import downwards only: app -> pages -> callbacks -> components -> domain; routes/ (Flask)
  and runtime/ (what the running app holds) sit beside them.
- domain/ uses nothing web, and each of its sub-packages imports only the ones below it.
- domain/rules does no I/O at all; SQL (SQLAlchemy, sqlite3, psycopg) lives in domain/store only.
- No Flask route in callbacks/, no Dash callback in routes/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_DOMAIN = ("dash", "dash_bootstrap_components", "dash_ag_grid", "plotly", "flask",
                       "werkzeug", "requests")
SQL_MODULES = ("sqlalchemy", "sqlite3", "psycopg", "psycopg2", "alembic")
IO_MODULES = ("os", "io", "pathlib", "csv", "json", "shutil", "subprocess", "tempfile", "socket",
              "urllib", "zipfile", "openpyxl", "pyarrow", "logging") + SQL_MODULES
IO_CALLS = ("open", "read_csv", "read_parquet", "read_excel", "read_text", "read_bytes",
            "write_text", "write_bytes", "to_csv", "to_excel", "to_parquet", "mkdir")
# Who may import whom: each key imports only itself and what its value names.
LAYERS = {
    "app": None,  # the top: anything
    "pages": ("callbacks", "components", "runtime", "domain"),
    "routes": ("components", "runtime", "domain"),
    "callbacks": ("components", "runtime", "domain"),
    "components": ("domain",),
    "runtime": ("domain",),
    "domain": (),
}
DOMAIN_PACKAGES = {
    "rules": (),
    "ingest": ("rules", "store.repository"),
    "published": ("rules",),
    "store": ("rules", "ingest"),
    "views": ("rules", "published"),
}
PROJECT_TOP = set(LAYERS) | {"wsgi"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(path: Path) -> set[str]:
    """Full dotted names of every absolute import in a file."""
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def called_names(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            function = node.func
            out.add(function.attr if isinstance(function, ast.Attribute)
                    else getattr(function, "id", ""))
    return out


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", python_files("domain"), ids=_ids)
def test_domain_imports_nothing_web(path):
    assert not top_level(imported_modules(path)) & set(FORBIDDEN_IN_DOMAIN)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_layers_import_only_what_they_may(layer):
    allowed = LAYERS[layer]
    if allowed is None:
        return
    files = [ROOT / "app.py"] if layer == "app" else python_files(layer)
    for path in files:
        project = top_level(imported_modules(path)) & PROJECT_TOP
        assert project <= {layer, *allowed}, f"{_ids(path)} imports {project - {layer, *allowed}}"


def domain_package_of(name: str) -> str | None:
    parts = name.split(".")
    return ".".join(parts[1:3]) if parts[0] == "domain" and len(parts) > 1 else None


@pytest.mark.parametrize("package", list(DOMAIN_PACKAGES))
def test_domain_packages_import_only_those_below_them(package):
    allowed = DOMAIN_PACKAGES[package]
    for path in python_files(f"domain/{package}"):
        for name in imported_modules(path):
            target = domain_package_of(name)
            if target is None:
                continue
            sub_package, module = (target.split(".") + [""])[:2]
            ok = (sub_package == package or sub_package in allowed
                  or f"{sub_package}.{module}" in allowed)
            assert ok, f"{_ids(path)} imports {name}, outside what domain/{package} may use"


@pytest.mark.parametrize("path", python_files("domain/rules"), ids=_ids)
def test_rules_do_no_io(path):
    assert not top_level(imported_modules(path)) & set(IO_MODULES)
    assert not called_names(path) & set(IO_CALLS)


def test_only_the_store_speaks_sql():
    offenders = [_ids(path) for path in sorted(ROOT.glob("**/*.py"))
                 if ".venv" not in path.parts and "tests" not in path.parts
                 and "domain/store" not in path.as_posix()
                 and top_level(imported_modules(path)) & set(SQL_MODULES)]
    assert offenders == []


def test_no_flask_route_lives_in_callbacks_and_no_dash_callback_in_routes():
    for path in python_files("callbacks"):
        assert "flask" not in top_level(imported_modules(path)), _ids(path)
        assert not called_names(path) & {"route", "Blueprint"}, _ids(path)
    for path in python_files("routes"):
        assert "dash" not in top_level(imported_modules(path)), _ids(path)


def test_every_domain_package_has_a_readme_saying_what_it_may_not_do():
    for package in DOMAIN_PACKAGES:
        readme = ROOT / "domain" / package / "README.md"
        assert "may not" in readme.read_text(encoding="utf-8"), readme


def test_the_checks_would_catch_an_offender(tmp_path):
    offender = tmp_path / "bad.py"
    offender.write_text("import plotly.express as px\nfrom dash import html\n"
                        "from domain.store.sqlite import Store\nimport sqlalchemy\n"
                        "open('x').read()\n")
    names = imported_modules(offender)
    assert top_level(names) & set(FORBIDDEN_IN_DOMAIN) == {"plotly", "dash"}
    assert domain_package_of("domain.store.sqlite") == "store.sqlite"
    assert top_level(names) & set(SQL_MODULES) == {"sqlalchemy"}
    assert "open" in called_names(offender)
