"""Every file in tests/corpus/ gives the outcome and failure codes its manifest says, and a
refused file leaves the store exactly as it was, even when a commit is attempted."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from domain.store.repository import KINDS
from domain.store.source import open_store
from domain.ingest.upload import check_upload, commit_upload

pytestmark = pytest.mark.both_databases

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MANIFEST = list(csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8")))


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def snapshot(store):
    return (store.revision(), [b.id for b in store.batches()],
            {kind: store.current(kind) for kind in KINDS})


def assert_same(before, after):
    assert before[:2] == after[:2]
    for kind in KINDS:
        pd.testing.assert_frame_equal(before[2][kind], after[2][kind])


def test_the_corpus_has_at_least_30_files_and_every_one_is_listed():
    listed = {row["file"] for row in MANIFEST}
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "manifest.csv"}
    assert listed == on_disk
    assert len(listed) >= 30
    assert sum(row["outcome"] == "refused" for row in MANIFEST) >= 20


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_corpus_file(entry, store, dataset):
    content = (CORPUS / entry["file"]).read_bytes()
    before = snapshot(store)
    check = check_upload(content, entry["file"], dataset.plan, store)
    codes = {f.code for f in check.failures}
    assert codes == set(entry["codes"].split()), [f.message for f in check.failures]
    assert (check.kind or "") == entry["kind"]
    for failure in check.failures:
        assert failure.message and (failure.row is None or failure.row >= 1)
    if entry["outcome"] == "refused":
        assert not check.ok
        assert commit_upload(check, "Corpus", store) is None
        assert_same(before, snapshot(store))
    else:
        assert check.ok
        result = commit_upload(check, "Corpus", store)
        assert result is not None
        assert len(check.rows) >= 1
    assert store.integrity_problems() == []


# Codes the corpus cannot show: a file over 10 MB is tested without being committed to the
# repository; a missing column means no layout is recognised (unknown_layout) in an upload.
NOT_IN_CORPUS = {"file_too_large": "test_a_file_over_the_limit_is_refused",
                 "missing_column": "tests/unit/test_returns.py",
                 # KPI commentary's own code: an example in EXAMPLES there.
                 "text_too_long": "tests/unit/test_upload_kinds.py",
                 # The published-statistics importers' codes: DfE's files, not uploads.
                 "published_bad_value": "tests/unit/test_published.py",
                 "published_missing_column": "tests/unit/test_published.py",
                 "published_bad_year": "tests/unit/test_published.py",
                 "published_missing_file": "tests/unit/test_published.py"}


# The plan imports' corpus (tests/plan_corpus/, issue 13) shows the codes of plan files.
PLAN_MANIFEST = Path(__file__).resolve().parents[1] / "plan_corpus" / "manifest.csv"
NOT_IN_ANY_CORPUS_PLAN = {
    "revision_out_of_order": "tests/unit/test_plan_import.py (needs a stored revision)"}


def test_every_failure_code_is_shown_by_some_corpus_file():
    from domain.rules.failures import FAILURE_TEMPLATES

    in_corpus = {code for row in MANIFEST for code in row["codes"].split()}
    in_plan_corpus = {code for row in csv.DictReader(PLAN_MANIFEST.open(encoding="utf-8"))
                      for code in row["codes"].split()}  # missing_column: a plan sheet's
    expected = (set(NOT_IN_CORPUS) | set(NOT_IN_ANY_CORPUS_PLAN)) - in_plan_corpus
    assert set(FAILURE_TEMPLATES) - in_corpus - in_plan_corpus == expected


def test_a_file_over_the_limit_is_refused(store, dataset):
    from domain.ingest.upload import MAX_UPLOAD_BYTES

    before = snapshot(store)
    content = b"kpi_ref,period,value\n" + b"19a,2016/17 Q2,25.3\n" * (MAX_UPLOAD_BYTES // 19)
    check = check_upload(content, "big.csv", dataset.plan, store)
    assert [f.code for f in check.failures] == ["file_too_large"]
    assert commit_upload(check, "x", store) is None
    assert_same(before, snapshot(store))
