"""A fuzz test over the whole upload path (issue 17): bytes in through `POST /api/returns`,
a report out. For any file: never an exception or a 500, nothing stored unless the file was
accepted, and every export and API answer still 200 (and JSON) afterwards. The files are built
from the cells that broke something before (control characters, 400-digit numbers, extreme
years, markup, look-alike areas, other digits), in every layout, separator and encoding, as
workbooks, as mutated corpus files and as raw bytes, after every small corpus file as it is.
Bounded to run in CI within a minute (derandomised, so every run tries the same files)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings, strategies as st

from signin import csrf_headers, signed_in_client

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SMALL_CORPUS = sorted(p.name for p in CORPUS.iterdir()
                      if p.name != "manifest.csv" and p.stat().st_size < 100_000)

# What a file may hold that is accepted (and must then survive every export), and what broke
# something before. Each cell is drawn from the first nine times in ten.
ACCEPTED_TEXT = ["", "South", "south", "SOUTH\u200b", "Cafe\u0301", "caf\u00e9",
                 "<a href=\"https://evil.example/\">x</a>", "=HYPERLINK(\"x\")", "%{x}",
                 "\u202eevil\u202c", "\"quoted, with a comma\"", "'; DROP TABLE batches; --"]
GOOD = {
    "kpi_ref": ["19a", "17a", "15"], "action_ref": ["1.1.1", "6.1.4"],
    "period": ["2016/17 Q3", "Q2 2016-17", "31/12/2016", "Mar-17"],
    "as_at": ["31/12/2016", "2016-09-30"], "value": ["25.3", "30", "0", "12"],
    "numerator": [""], "denominator": [""], "area": ACCEPTED_TEXT, "comment": ACCEPTED_TEXT,
    "status": ["RED", "amber", "Green", "BLUE"], "comparator": ["England", "england"],
    "measure": ACCEPTED_TEXT, "2016/17 Q1": ["25", ""], "2016/17 Q2": ["26", ""],
    "9999/00 Q4": [""], "ref": ["19a"], "quarter": ["2016/17 Q3"], "amount": ["1"],
}
HOSTILE_REFS = ["16", "9a", "19Z", "", "\u0661\u0669a", "1.1.1\x00"]
HOSTILE_PERIODS = ["9999/00 Q4", "0000/01 Q1", "Mar 0000", "2300/01 Q1", "2016/17 Q5", "",
                   "someday", "31/02/2016", "2100/01 Q4", "31/12/0000", "2016/17"]
HOSTILE_NUMBERS = ["9" * 400, "\u0662\u0665", "\uff12\uff15", "n/a", "", "1e5", "25,3", "inf",
                   "NaN", "1.004,0", "999999999999999", "-3", "85%", "0.2", "\"1,270\""]
HOSTILE_TEXT = ["a\x01b", "\x1b[31m", "x" * 5_001, "two\nlines", "\x85"]
HOSTILE = {
    "kpi_ref": HOSTILE_REFS, "action_ref": HOSTILE_REFS, "period": HOSTILE_PERIODS,
    "as_at": HOSTILE_PERIODS, "value": HOSTILE_NUMBERS, "numerator": HOSTILE_NUMBERS,
    "denominator": HOSTILE_NUMBERS, "area": HOSTILE_TEXT, "comment": HOSTILE_TEXT,
    "status": ["purple", ""], "comparator": [""] + HOSTILE_TEXT, "measure": HOSTILE_TEXT,
    "2016/17 Q1": HOSTILE_NUMBERS, "2016/17 Q2": HOSTILE_NUMBERS, "9999/00 Q4": ["25"],
    "ref": HOSTILE_REFS, "quarter": HOSTILE_PERIODS, "amount": HOSTILE_NUMBERS,
}

HEADERS = {
    "returns": ["kpi_ref", "period", "value", "numerator", "denominator", "area", "comment"],
    "progress": ["action_ref", "as_at", "status", "comment"],
    "comparators": ["kpi_ref", "period", "comparator", "value"],
    "wide": ["kpi_ref", "measure", "2016/17 Q1", "2016/17 Q2", "9999/00 Q4"],
    "unknown": ["ref", "quarter", "amount"],
}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
# After each commit: the workbook of every table, the stored rows as CSV, a KPI's values and
# the APIs; at the end, every download.
AFTER_A_COMMIT = ["/export/dataset.xlsx", "/export/returns.csv", "/export/progress.csv",
                  "/export/kpi/17a.xlsx", "/api/kpis", "/api/actions"]
EXPORTS = [*AFTER_A_COMMIT, "/export/kpis.csv", "/export/actions.xlsx", "/export/returns.xlsx",
           "/export/progress.xlsx", "/export/findings.csv", "/export/kpi/19a.csv",
           "/export/kpi/15.xlsx", "/export/comparators.xlsx", "/api/kpis?asat=2016/17 Q3"]


def cells(column: str):
    return st.one_of(*[st.sampled_from(GOOD[column])] * 9, st.sampled_from(HOSTILE[column]))


@st.composite
def table_files(draw, hostile: bool = True) -> bytes:
    """A file in one of the layouts, its cells drawn from what broke something before; with
    `hostile` False, cells that are accepted (each row about a different thing) but for free
    text, so the store changes and the exports are checked after it."""
    layout = draw(st.sampled_from(sorted(HEADERS) if hostile else ["returns", "progress",
                                                                    "comparators"]))
    header = HEADERS[layout]
    if hostile:
        rows = draw(st.lists(st.tuples(*[cells(c) for c in header]), min_size=1, max_size=4))
    else:  # free text may still hold anything: it is what a commit stores as written
        rows = draw(st.lists(st.tuples(*[st.sampled_from(GOOD[c] + HOSTILE_TEXT
                                                         if c in ("area", "comment")
                                                         else GOOD[c]) for c in header]),
                             min_size=1, max_size=4, unique_by=lambda row: row[:2]))
    if draw(st.booleans()):
        return workbook([header, *rows])
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    text = draw(st.sampled_from(["", "Returns for the quarter\n"])) + "\n".join(lines) + "\n"
    return text.encode(draw(st.sampled_from(ENCODINGS if hostile else ENCODINGS[:3])),
                       "replace")


def workbook(rows) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    for row in rows:  # a workbook cannot hold a control character: Excel would not save one
        book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell.strip('"')) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def mutated_corpus_files(draw) -> bytes:
    """A corpus file with a few bytes changed, inserted or cut."""
    content = bytearray((CORPUS / draw(st.sampled_from(SMALL_CORPUS))).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(content)))
        action = draw(st.sampled_from(["change", "insert", "cut"]))
        byte = draw(st.integers(0, 255))
        if action == "change" and at < len(content):
            content[at] = byte
        elif action == "insert":
            content[at:at] = bytes([byte])
        else:
            del content[at:at + draw(st.integers(1, 50))]
    return bytes(content)


FILES = st.one_of(table_files(hostile=False), table_files(), mutated_corpus_files(),
                  st.binary(max_size=400))


def strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def assert_every_export_answers(client, paths=EXPORTS) -> None:
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if path.startswith("/api/"):
            strict_json(response.get_data(as_text=True))


def test_any_file_gets_a_report_and_stores_only_what_was_accepted(app):
    client = signed_in_client(app, "contributor")
    csrf = csrf_headers(client)
    store = app.server.config["RETURNS_STORE"]

    @settings(max_examples=80, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(content=FILES, dry_run=st.sampled_from([False, False, False, True]))
    def upload(content: bytes, dry_run: bool):
        revision, batches = store.revision(), len(store.batches())
        response = client.post("/api/returns", data=content,
                               query_string={"dry_run": int(dry_run)},
                               content_type="text/csv", headers=csrf)
        assert response.status_code in (200, 422), response.status_code
        body = strict_json(response.get_data(as_text=True))
        if response.status_code == 422 or dry_run:
            assert not body["committed"]
            assert (store.revision(), len(store.batches())) == (revision, batches)
            return
        assert body["errors"] == []
        if body["committed"]:
            assert len(store.batches()) == batches + 1
            assert store.integrity_problems() == []
            assert_every_export_answers(client, AFTER_A_COMMIT)

    for name in SMALL_CORPUS:  # every small corpus file as it is, committed when accepted
        upload = example(content=(CORPUS / name).read_bytes(), dry_run=False)(upload)
    upload()
    assert_every_export_answers(client)
