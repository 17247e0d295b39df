"""The documents in docs/ are the reference the code cites: every citation resolves, and nothing
cites the product document that lives outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SKIPPED_FOLDERS = {".git", ".venv", "node_modules", "var", "__pycache__", ".pytest_cache"}
TEXT_ENDINGS = {".py", ".md", ".js", ".css", ".txt", ".ini", ".toml", ".cfg", ".sh", ".csv"}
# Split so this file does not cite it itself.
OUTSIDE_DOCUMENT = "DESIGN" + " section"
CODE_CITATION = re.compile(r"docs/(?P<file>[\w-]+\.md)#(?P<anchor>[\w-]+)")
MARKDOWN_LINK = re.compile(r"\]\((?P<file>[\w-]+\.md)?#(?P<anchor>[\w-]+)\)")


def repository_text_files() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*")
                  if path.is_file() and path.suffix in TEXT_ENDINGS | {""}
                  and not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts))


def heading_anchors(document: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped,
    spaces as hyphens."""
    anchors = set()
    for line in document.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"#+\s+(.*)", line):
            words = re.sub(r"[^\w\s-]", "", match[1].strip().lower())
            anchors.add(re.sub(r"\s", "-", words))
    return anchors


def citations() -> list[tuple[str, str, str]]:
    """(citing file, cited document, anchor) for every `docs/<file>.md#<anchor>` in the tree and
    every `[..](<file>.md#<anchor>)` link inside docs/."""
    found = []
    for path in repository_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        where = str(path.relative_to(ROOT))
        found += [(where, m["file"], m["anchor"]) for m in CODE_CITATION.finditer(text)]
        if path.parent == DOCS:
            found += [(where, m["file"] or path.name, m["anchor"])
                      for m in MARKDOWN_LINK.finditer(text)]
    return found


def test_nothing_cites_the_design_document_outside_the_repository():
    citing = [str(path.relative_to(ROOT)) for path in repository_text_files()
              if OUTSIDE_DOCUMENT in path.read_text(encoding="utf-8", errors="replace")]
    assert citing == []


def test_the_code_cites_the_rules_document():
    cited = {(document, anchor) for _, document, anchor in citations()}
    assert ("rules.md", "reporting-periods") in cited
    assert ("rules.md", "rag-status-of-a-kpi") in cited


@pytest.mark.parametrize("where, document, anchor", citations())
def test_every_citation_names_a_heading_that_exists(where, document, anchor):
    assert (DOCS / document).exists(), f"{where} cites docs/{document}, which does not exist"
    assert anchor in heading_anchors(DOCS / document), f"{where}: no heading #{anchor}"


def test_every_rules_module_is_described_in_the_rules_document():
    rules_text = (DOCS / "rules.md").read_text(encoding="utf-8")
    modules = [path.name for path in (ROOT / "domain" / "rules").glob("*.py")
               if path.name != "__init__.py"]
    assert modules and [name for name in modules if name not in rules_text] == []


def test_the_anchor_reading_matches_github():
    sample = DOCS / "rules.md"
    anchors = heading_anchors(sample)
    assert {"rag-status-of-a-kpi", "kpi-values", "the-as-at-period"} <= anchors
