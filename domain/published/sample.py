"""A small synthetic stand-in for DfE's published statistics, in their own layouts.

The app uses it for comparators only when no real published folder is given (labelled "sample"
on every page), and the tests use it. The values are invented; the layouts and their mess
(suppression codes, float noise, year spellings, titles on a measure's first row only) are the
real files'. It is written at run time into the app's data folder, never committed, so the
repository holds no file that could be mistaken for DfE's.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

C1_FILE = "ees/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
CSWW_FILE = "ees/csww_indicators_2017_to_2025.csv"
GROUPINGS_FILE = "ees/New_Statistical_Neighbour_Groupings_April_2021.csv"
LAIT_FILE = "lait/bds_long_0.parquet"
SAMPLE_FILES = (C1_FILE, CSWW_FILE, GROUPINGS_FILE, LAIT_FILE)

# (LA number, name, region): Bristol, its first statistical neighbours and the core cities.
AUTHORITIES = [
    ("801", "Bristol, City of", "South West"), ("851", "Portsmouth", "South East"),
    ("852", "Southampton", "South East"), ("870", "Reading", "South East"),
    ("373", "Sheffield", "Yorkshire and The Humber"), ("330", "Birmingham", "West Midlands"),
    ("383", "Leeds", "Yorkshire and The Humber"), ("341", "Liverpool", "North West"),
    ("352", "Manchester", "North West"), ("391", "Newcastle upon Tyne", "North East"),
    ("892", "Nottingham", "East Midlands"),
]
NEIGHBOURS = {"801": ["851", "852", "870", "373"], "851": ["852", "870", "801", "373"]}
EES_LEAD = ["time_period", "time_identifier", "geographic_level", "country_code",
            "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
            "la_name"]


def _value(rng: random.Random, centre: float) -> str:
    return str(round(centre + rng.uniform(-4, 4), 1))


def ees_rows(years, measures: dict[str, float], rng: random.Random, extra=None) -> pd.DataFrame:
    rows = []
    for year in years:
        base = {"time_period": str(year), "time_identifier": "Reporting year",
                "country_code": "E92000001", "country_name": "England", "region_code": "",
                "new_la_code": ""}
        rows.append({**base, "geographic_level": "National", "region_name": "",
                     "old_la_code": "", "la_name": "",
                     **{m: _value(rng, c) for m, c in measures.items()}, **(extra or {})})
        for code, name, region in AUTHORITIES:
            values = {m: _value(rng, c) for m, c in measures.items()}
            if code == "852" and year == years[1]:
                values = {m: "c" for m in measures}  # suppressed
            if code == "870" and year == years[2]:
                values = {m: "x" for m in measures}  # not available
            rows.append({**base, "geographic_level": "Local authority", "region_name": region,
                         "old_la_code": code, "la_name": name, **values, **(extra or {})})
    return pd.DataFrame(rows)


def lait_rows(rng: random.Random) -> pd.DataFrame:
    measures = {"ReReferral": ("Percentage of referrals, within 12 months of a previous "
                               "referral", 22, [str(y) for y in range(2016, 2026)]),
                "Work_Force_TO_Rate": ("Social worker turnover rate (FTE)", 15,
                                       ["2017", "2018 (Rev)", "2019 (Rev)", "2020 (Final)",
                                        "2021", "2022", "2023", "2024", "2025"]),
                "Work_Force_Vac_Rate": ("Social worker vacancy rate (FTE)", 16,
                                        [f"{y}-{(y + 1) % 100:02d}" for y in range(2016, 2025)]),
                "RTA": ("Children killed or seriously injured in road traffic accidents", 20,
                        ["2014-16", "2015-17"])}
    rows = []
    for code, (title, centre, years) in measures.items():
        first = True
        for year in years:
            for number, name, region in [*AUTHORITIES, ("970", "England", "NA"),
                                         ("990", "South West", "NA")]:
                value = repr(float(_value(rng, centre)) + 1e-15)  # float noise
                if number == "852" and year == years[0]:
                    value = "-"
                rows.append({"Short Desc": code, "Data item": title if first else None,
                             "Years": year, "LA and Regions": name, "Values": value,
                             "LA Number": float(number), "Region": region})
                first = False
    return pd.DataFrame(rows)


def write_published_sample(folder: Path) -> Path:
    """Write the sample into `folder` unless it is there already; deterministic (fixed seed)."""
    folder = Path(folder)
    if all((folder / name).exists() for name in SAMPLE_FILES):
        return folder
    rng = random.Random(5)
    (folder / "ees").mkdir(parents=True, exist_ok=True)
    (folder / "lait").mkdir(parents=True, exist_ok=True)
    c1 = ees_rows(range(2016, 2026), {"rereferral_percent": 22, "no_further_action_percent": 8},
                  rng, {"category": "Referrals and Re-referrals"})
    c1[EES_LEAD + ["category", "rereferral_percent", "no_further_action_percent"]].to_csv(
        folder / C1_FILE, index=False)
    csww = ees_rows(range(2017, 2026), {"turnover_rate_fte": 15, "vacancy_rate_fte": 16,
                                        "caseload_fte": 17}, rng)
    csww.to_csv(folder / CSWW_FILE, index=False)
    groupings = [{"LA num": code, "LA Name": name, "LA number": code,
                  **{f"SN{i + 1}": sn for i, sn in enumerate(NEIGHBOURS.get(code, []))}}
                 for code, name, _ in AUTHORITIES]
    pd.DataFrame(groupings).to_csv(folder / GROUPINGS_FILE, index=False)
    lait_rows(rng).to_parquet(folder / LAIT_FILE, index=False)
    return folder
