"""Importers for DfE's published statistics, on small fixtures written here in the real layouts,
and (when the real files are beside the checkout) on the real c1 and LAIT files."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from domain.published.comparators import (CORE_CITIES, PublishedSource, comparator_table, core_city_codes,
                                read_measure_links)
from domain.published.importers import (LOCAL, NATIONAL, SUPPRESSION_CODES, YearError, parse_year,
                              read_ees, read_lait, read_neighbours)

ROOT = Path(__file__).resolve().parents[2]
LINKS = ROOT / "data" / "plan" / "published_measures.csv"


def real_published_dir() -> Path | None:
    candidates = [os.environ.get("PUBLISHED_DATA_DIR"), ROOT.parent / "shared/data/published",
                  ROOT.parents[1] / "shared/data/published"]
    return next((Path(c) for c in candidates if c and (Path(c) / "lait").is_dir()), None)


REAL = real_published_dir()
needs_real = pytest.mark.skipif(REAL is None, reason="the real published files are not beside "
                                "the checkout (../shared/data/published)")


@pytest.mark.parametrize("text, year", [
    ("2016", 2016), ("2016-17", 2017), ("2016/17", 2017), ("2016-17 (OT)", 2017),
    ("2018 (Rev)", 2018), ("2020 (Final)", 2020), ("2025 (prov)", 2025), ("201819", 2019),
    ("2016/2017", 2017), (" 2019 ", 2019), ("2016-18", None),
])
def test_year_spellings_are_placed_at_the_year_they_end(text, year):
    if year is None:
        with pytest.raises(YearError):
            parse_year(text)
    else:
        assert parse_year(text) == year


@pytest.mark.parametrize("text", ["2014-16", "2013/14-15/16", "0", "", "Q1", "2016-19"])
def test_ranges_and_non_years_are_refused_with_a_reason(text):
    with pytest.raises(YearError) as error:
        parse_year(text)
    assert str(error.value)


def write_ees(path: Path) -> Path:
    rows = [
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,breakdown,rereferral_percent",
        "2017,Reporting year,National,E92000001,England,,,,,,Total,21.9",
        "2017,Reporting year,Regional,E92000001,England,E12000009,South West,,,,Total,20.1",
        "2017,Reporting year,Local authority,E92000001,England,E12000009,South West,801,"
        "E06000023,\"Bristol, City of\",Total,16.100000000000001",
        "2017,Reporting year,Local authority,E92000001,England,E12000009,South West,802,"
        "E06000024,North Somerset,Total,c",
        "2017,Reporting year,Local authority,E92000001,England,E12000009,South West,803,"
        "E06000025,South Gloucestershire,Total,twelve",
        "2017,Reporting year,Local authority,E92000001,England,E12000009,South West,801,"
        "E06000023,\"Bristol, City of\",Other,99",
        "2014-16,Reporting year,Local authority,E92000001,England,E12000009,South West,801,"
        "E06000023,\"Bristol, City of\",Total,30",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_ees_values_suppression_noise_levels_and_filters(tmp_path):
    read = read_ees(write_ees(tmp_path / "c1.csv"), ["rereferral_percent"],
                    {"breakdown": "Total"})
    table = read.table
    bristol = table[(table["area_code"] == "801")]
    assert bristol["value"].tolist() == [16.1]  # the "Other" row is filtered out
    assert table[table["level"] == NATIONAL]["area_name"].tolist() == ["England"]
    suppressed = table[table["area_code"] == "802"]
    assert suppressed["value"].isna().all()
    assert suppressed["missing_reason"].tolist() == [SUPPRESSION_CODES["c"]]
    codes = {(f.code, f.row, f.column, f.value) for f in read.failures}
    assert ("published_bad_value", 6, "rereferral_percent", "twelve") in codes
    assert ("published_bad_year", 8, "time_period", "2014-16") in codes


def test_ees_missing_column_is_a_whole_file_failure(tmp_path):
    read = read_ees(write_ees(tmp_path / "c1.csv"), ["turnover_rate_fte"])
    assert read.table.empty
    assert [(f.code, f.column, f.row) for f in read.failures] == [
        ("published_missing_column", "turnover_rate_fte", None)]


@pytest.mark.parametrize("code", sorted(SUPPRESSION_CODES))
def test_every_suppression_code_is_missing_with_its_reason(tmp_path, code):
    path = write_ees(tmp_path / "c1.csv")
    path.write_text(path.read_text().replace(",c\n", f",{code.upper()}\n"))
    table = read_ees(path, ["rereferral_percent"]).table
    row = table[table["area_code"] == "802"]
    assert row["value"].isna().all() and row["missing_reason"].tolist() == [
        SUPPRESSION_CODES[code]]


def write_lait(path: Path) -> Path:
    rows = []
    for code, title, years in (("ReReferral", "Re-referrals", ["2016", "2017 (Rev)"]),
                               ("RTA", "Road accidents", ["2014-16"])):
        for i, year in enumerate(years):
            for number, name, value in ((801.0, "Bristol, City of", "16.100000000000001"),
                                        (970.0, "England", "22.5"),
                                        (990.0, "South West", "-")):
                rows.append({"Short Desc": code, "Data item": title if not rows or
                             rows[-1]["Short Desc"] != code else None, "Years": year,
                             "LA and Regions": name, "Values": value, "LA Number": number,
                             "Region": "South West"})
    pd.DataFrame(rows).to_parquet(path, index=False)
    return path


def test_lait_titles_carry_down_and_levels_come_from_la_numbers(tmp_path):
    read = read_lait(write_lait(tmp_path / "bds.parquet"))
    table = read.table
    rereferral = table[table["measure"] == "ReReferral"]
    assert set(rereferral["title"]) == {"Re-referrals"}
    assert rereferral["year"].tolist() == [2016, 2016, 2016, 2017, 2017, 2017]
    assert rereferral[rereferral["area_code"] == "801"]["value"].tolist() == [16.1, 16.1]
    assert set(rereferral["level"]) == {LOCAL, NATIONAL, "Regional"}
    regional = rereferral[rereferral["level"] == "Regional"]
    assert regional["value"].isna().all() and set(regional["missing_reason"]) == {"suppressed"}
    assert {f.value for f in read.failures} == {"2014-16"}
    assert all(f.code == "published_bad_year" for f in read.failures)


def test_lait_codes_filter_measures(tmp_path):
    read = read_lait(write_lait(tmp_path / "bds.parquet"), ["RTA"])
    assert read.table.empty and len(read.failures) == 3


def test_comparator_table_neighbours_england_and_cities():
    table = pd.DataFrame({
        "measure": "m", "title": "m", "year": [2020] * 5, "year_text": "2020",
        "level": [NATIONAL, LOCAL, LOCAL, LOCAL, LOCAL],
        "area_code": ["", "801", "1", "2", "3"],
        "area_name": ["England", "Bristol, City of", "Leeds", "X", "Y"],
        "value": [20.0, 10.0, 12.0, 18.0, None], "missing_reason": ["", "", "", "", "c"]})
    out = comparator_table(table, "m", "801", ("1", "2", "3"))
    row = out.iloc[0]
    assert (row["authority"], row["england"]) == (10.0, 20.0)
    assert (row["neighbour_mean"], row["neighbour_min"], row["neighbour_max"]) == (15, 12, 18)
    assert row["neighbour_count"] == 2
    assert core_city_codes(table) == {"Bristol": "801", "Leeds": "1"}


def test_mapping_covers_the_plan_kpis_named_in_the_issue(dataset):
    links = read_measure_links(LINKS)
    pairs = {(link.kpi_ref, link.measure) for link in links}
    assert {("19a", "rereferral_percent"), ("19a", "ReReferral"), ("18a", "turnover_rate_fte"),
            ("18a", "Work_Force_TO_Rate"), ("18b", "vacancy_rate_fte"),
            ("18b", "Work_Force_Vac_Rate")} <= pairs
    assert {"3a", "3b", "6a", "7", "11", "12a", "12b", "14", "19b"} <= {l.kpi_ref for l in links}
    assert {link.kpi_ref for link in links} <= set(dataset.plan.kpi_refs)
    assert all(link.source in ("ees", "lait") and link.year_convention for link in links)


def test_sample_folder_gives_comparators_for_19a_and_18a(tmp_path):
    from domain.published.sample import write_published_sample

    source = PublishedSource(write_published_sample(tmp_path / "sample"), LINKS, True)
    for ref in ("19a", "18a"):
        comparisons, failures = source.comparisons(ref, "801")
        assert comparisons and not failures
        assert comparisons[0].authority_name == "Bristol, City of"
        assert comparisons[0].table["england"].notna().any()
        assert (comparisons[0].table["neighbour_count"] > 0).any()


def test_the_cache_reloads_when_a_file_changes(tmp_path):
    folder = tmp_path / "published"
    (folder / "ees").mkdir(parents=True)
    (folder / "lait").mkdir()
    write_lait(folder / "lait" / "bds_long_0.parquet")
    source = PublishedSource(folder, LINKS, True)
    first, _ = source.comparisons("19a")
    lait = next(c for c in first if c.link.source == "lait")
    assert lait.table["authority"].tolist() == [16.1, 16.1]
    path = folder / "lait" / "bds_long_0.parquet"
    frame = pd.read_parquet(path)
    frame.loc[frame["LA Number"] == 801.0, "Values"] = "17.5"
    frame.to_parquet(path, index=False)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again, _ = source.comparisons("19a")
    assert next(c for c in again if c.link.source == "lait").table["authority"].tolist() == [
        17.5, 17.5]


def test_a_missing_file_is_reported_not_hidden(tmp_path):
    source = PublishedSource(tmp_path, LINKS, True)
    comparisons, failures = source.comparisons("19a")
    assert comparisons == [] and {f.code for f in failures} == {"published_missing_file"}


@needs_real
def test_real_c1_imports_and_bristol_19a_matches_the_file():
    path = REAL / "ees" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    raw = pd.read_csv(path, dtype=str)
    expected = raw[raw["old_la_code"] == "801"].set_index("time_period")["rereferral_percent"]
    table = read_ees(path, ["rereferral_percent"]).table
    bristol = table[table["area_code"] == "801"].set_index("year")["value"]
    assert len(bristol) == len(expected)
    for year_text, text in expected.items():
        assert bristol[int(year_text)] == pytest.approx(float(text))


@needs_real
def test_real_lait_imports_and_bristol_18a_matches_the_file():
    path = REAL / "lait" / "bds_long_0.parquet"
    raw = pd.read_parquet(path)
    rows = raw[(raw["Short Desc"] == "Work_Force_TO_Rate") & (raw["LA Number"] == 801)]
    read = read_lait(path)
    assert len(read.table) + len(read.failures) == len(raw)  # every row imported or explained
    table = read.table
    bristol = table[(table["measure"] == "Work_Force_TO_Rate") & (table["area_code"] == "801")]
    got = bristol.set_index("year_text")["value"]
    for year_text, text in zip(rows["Years"], rows["Values"]):
        if text.strip() == "-":
            assert pd.isna(got[year_text])
        else:
            assert got[year_text] == pytest.approx(float(text))
    titles = table[table["measure"] == "ReReferral"]["title"]
    assert titles.notna().all() and titles.nunique() == 1


@needs_real
def test_real_neighbours_for_bristol_are_ten_la_numbers():
    neighbours = read_neighbours(REAL / "ees" / "New_Statistical_Neighbour_Groupings_April_2021.csv")
    assert len(neighbours["801"]) == 10 and all(n.isdigit() for n in neighbours["801"])
    assert "801" not in neighbours["801"]


@needs_real
def test_real_core_cities_are_all_found():
    read = read_lait(REAL / "lait" / "bds_long_0.parquet", ["ReReferral"])
    assert set(core_city_codes(read.table)) == set(CORE_CITIES)


def test_comparisons_carry_the_rows_that_could_not_be_imported(tmp_path):
    folder = tmp_path / "published"
    (folder / "ees").mkdir(parents=True)
    write_ees(folder / "ees" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    source = PublishedSource(folder, LINKS, True)
    comparisons, _ = source.comparisons("19a", "801")
    ees = next(c for c in comparisons if c.link.source == "ees")
    assert {f.code for f in ees.import_failures} == {"published_bad_value", "published_bad_year"}


def test_the_kpi_page_lists_rows_not_imported(tmp_path):
    from components.comparators import import_report
    folder = tmp_path / "published"
    (folder / "ees").mkdir(parents=True)
    write_ees(folder / "ees" / "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    comparisons, _ = PublishedSource(folder, LINKS, True).comparisons("19a", "801")
    report = import_report(comparisons[0], 0)
    assert report.children[0].children.startswith("2 rows of ees/c1_")
    assert "twelve" in str(report.children[1])


@needs_real
@pytest.mark.parametrize("ref", ["17a", "17b", "17c"])
def test_caseloads_compare_with_dfes_caseload_per_social_worker(ref):
    """Issue 18 item 11, on DfE's real file: an indicative comparator named in words."""
    source = PublishedSource(REAL, LINKS, is_sample=False)
    comparisons, failures = source.comparisons(ref, "801")
    assert failures == []
    (caseload,) = comparisons
    assert caseload.link.title == ("Average caseload per FTE children's social worker, DfE "
                                   "children's social work workforce")
    assert caseload.link.note.startswith("Indicative comparator")
    assert caseload.table["england"].notna().all() and len(caseload.table) >= 8


@needs_real
def test_the_rank_and_band_from_the_real_files_for_one_kpi_and_year():
    """18a (social worker turnover, lower is better) at 30 September 2016, from LAIT: Bristol's
    16.1% ranks 79th of the 149 authorities with a value (9 suppressed or missing), band C."""
    from domain.published.comparators import PublishedSource, benchmarks

    comparisons, _ = PublishedSource(REAL, LINKS, False).comparisons("18a")
    lait = next(c for c in comparisons if c.link.source == "lait")
    standing = next(s for s in benchmarks(lait, higher_is_better=False) if s.year == "2016/17")
    assert (standing.value, standing.rank, standing.of, standing.band, standing.left_out) == \
        (16.1, 79, 149, "C", 9)
    assert standing.england == 15.1 and standing.neighbours_of == 11
