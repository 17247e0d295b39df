"""Downloads: formula-like text is escaped, numbers stay numbers, in CSV and XLSX."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from domain.views.exports import csv_bytes, escape_cell, escape_frame, xlsx_bytes

INJECTED = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2 text", "@x", "\tTab", "\rCR", "plain"]


def tiny() -> pd.DataFrame:
    return pd.DataFrame({"text": pd.Series(INJECTED, dtype="str"),
                         "number": [-2.5, -1.0, 0.0, 3.0, -7.25, 1e6, -0.1],
                         "mixed": pd.Series(["=1+1", -3, None, "ok", 4.5, "-x", ""],
                                            dtype=object)})


@pytest.mark.parametrize("text", INJECTED[:-1])
def test_formula_like_text_gets_a_leading_quote(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["plain", "a=b", "", -2, -2.5, None])
def test_other_values_are_unchanged(value):
    assert escape_cell(value) == value


def test_escape_frame_leaves_numbers_numeric():
    out = escape_frame(tiny())
    assert out["text"].tolist() == ["'" + t for t in INJECTED[:-1]] + ["plain"]
    assert pd.api.types.is_float_dtype(out["number"])
    assert out["mixed"].tolist()[:2] == ["'=1+1", -3]
    assert out["mixed"].tolist()[5] == "'-x"


def test_csv_reads_back_escaped_with_numbers_as_numbers():
    back = pd.read_csv(io.BytesIO(csv_bytes(tiny())), keep_default_na=False)
    assert back["text"].iloc[0] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert back["text"].iloc[2] == "'-2 text"
    assert back["number"].tolist() == tiny()["number"].tolist()


def test_xlsx_has_no_formulas_and_keeps_negative_numbers():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Tiny": tiny()})))
    sheet = book["Tiny"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\",\"y\")"
    assert [sheet.cell(row=r, column=2).value for r in range(2, 9)] == tiny()["number"].tolist()
    assert sheet["C3"].value == -3
