"""Make the embedded SAMPLE data: synthetic KPI returns and action progress for the dashboard.

    python scripts/make_sample_data.py [--out DIR]

Writes `kpi_returns.csv` and `action_progress.csv` into DIR (default: `data/sample` in this
repository), from the plan register in `data/plan`. The output is deterministic: a fixed seed, fixed
rounding and a stable row order give byte-identical files on every run, on any machine.

The values are NOT real Bristol returns. Each KPI follows a scripted story against its target and
due date, with levels informed by Bristol's published statistics (DfE children in need, child
protection and workforce releases, the LAIT), so that the RAG rules give a realistic mix of RED,
AMBER, GREEN and BLUE as at different quarters. Each story below says why it was chosen.
"""

from __future__ import annotations

import argparse
import csv
import sys
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from domain.rules.periods import (ReportingPeriod, financial_year, half,  # noqa: E402
                            kind_for_frequency, periods_between, quarter)

SEED = 20161231
FIRST_QUARTER = quarter(2014, 1)  # 2014/15 Q1
LAST_QUARTER = quarter(2017, 2)  # 2017/18 Q2
PROGRESS_DATES = (date(2016, 9, 30), date(2016, 12, 31), date(2017, 3, 31), date(2017, 6, 30),
                  date(2017, 9, 30))

RETURNS_HEADER = ("kpi_ref", "period", "value", "numerator", "denominator", "area", "comment")
PROGRESS_HEADER = ("action_ref", "as_at", "status", "comment")
WHOLE_AUTHORITY = ""


# --- stories -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Story:
    """A series drawn as straight lines between pinned anchor values, plus random wobble.

    `anchors` maps a period label to its exact value; periods between anchors are interpolated and
    get Gaussian noise of standard deviation `noise`; the anchors themselves are never perturbed, so
    the values the RAG story depends on are exactly as written.
    """

    anchors: dict[str, float]
    noise: float = 0.0


# Whole-authority stories, one per KPI. Quarterly anchors use quarter labels, 6-monthly use
# half-year labels and annual use year labels. The baseline is the value at 2015/16 Q4 (H2, year);
# "as at 2016/17 Q3" is the mid-plan board meeting; "end" is 2017/18 Q2, after every due date.
KPI_STORIES: dict[str, Story] = {
    # 1a: the audit programme lifts assessments steadily; ahead of the trajectory at Q3 (AMBER) and
    # over 80% by the June 2017 due date (BLUE).
    "1a": Story({"2014/15 Q1": 51.6, "2015/16 Q4": 57.9, "2016/17 Q3": 72.4, "2016/17 Q4": 76.7,
                 "2017/18 Q1": 81.3, "2017/18 Q2": 82.6}, noise=2.0),
    # 1b: CIN plans are the weakest recorded practice (action 1.4.1 slips), so they improve too
    # slowly: RED at Q3 and RED after the due date.
    "1b": Story({"2014/15 Q1": 48.3, "2015/16 Q4": 45.2, "2016/17 Q3": 55.4, "2017/18 Q1": 63.8,
                 "2017/18 Q2": 66.1}, noise=2.0),
    # 1c: CP plans respond fastest to Signs of Safety: on target by Q3 (GREEN), held (BLUE).
    "1c": Story({"2014/15 Q1": 55.2, "2015/16 Q4": 61.8, "2016/17 Q2": 77.6, "2016/17 Q3": 81.4,
                 "2016/17 Q4": 82.7, "2017/18 Q1": 84.1, "2017/18 Q2": 85.3}, noise=1.5),
    # 1d: care plans keep just ahead of the trajectory (AMBER) and reach 80% by June 2017 (BLUE).
    "1d": Story({"2014/15 Q1": 49.7, "2015/16 Q4": 55.3, "2016/17 Q3": 71.2, "2016/17 Q4": 76.4,
                 "2017/18 Q1": 80.6, "2017/18 Q2": 81.3}, noise=1.5),
    # 1e: pathway plans start lowest; ahead of the trajectory at Q3 (AMBER) but improvement tails
    # off, behind it by Q4 (RED) and short of 80% after June 2017 (RED).
    "1e": Story({"2014/15 Q1": 38.4, "2015/16 Q4": 40.2, "2016/17 Q3": 65.3, "2016/17 Q4": 69.8,
                 "2017/18 Q1": 73.1, "2017/18 Q2": 74.4}, noise=1.5),
    # 2a: nearly every child in need gets a plan: within 5% at Q3 (AMBER), met by March (BLUE).
    "2a": Story({"2014/15 Q1": 74.2, "2015/16 Q4": 78.1, "2016/17 Q3": 86.4, "2016/17 Q4": 90.4,
                 "2017/18 Q1": 90.9, "2017/18 Q2": 91.3}, noise=1.0),
    # 2b: long-open CIN plans close slowly; level from the published 40.4% (2016) and 36.1% (2017)
    # of children in need for 2 years or more: RED throughout.
    "2b": Story({"2014/15 Q1": 42.3, "2015/16 Q4": 40.4, "2016/17 Q3": 37.2, "2016/17 Q4": 36.1,
                 "2017/18 Q2": 35.4}, noise=0.8),
    # 3a: published CP plans open 2+ years at 31 March: 2.5% (2015), 6.6% (2016), 3.0% (2017).
    # Ahead of the steep trajectory at Q3 (AMBER) but still above 2.5% at March (RED).
    "3a": Story({"2014/15 Q1": 2.9, "2014/15 Q4": 2.5, "2015/16 Q4": 6.6, "2016/17 Q3": 3.4,
                 "2016/17 Q4": 3.0, "2017/18 Q2": 3.1}, noise=0.3),
    # 4: return interviews are recommissioned (action 1.5.1) and rise ahead of the trajectory
    # (AMBER at Q3) to 98.2%, short of 100% (RED); the new provider's 2017/18 returns never
    # arrive (MISSING_RETURNS), so the dashboard flags "return overdue".
    "4": Story({"2014/15 Q1": 55.3, "2015/16 Q4": 72.4, "2016/17 Q3": 94.1, "2016/17 Q4": 98.2},
               noise=2.0),
    # 5a: pathway plans agreed with young people: on target by Q3 (GREEN) and held (BLUE).
    "5a": Story({"2014/15 Q1": 64.1, "2015/16 Q4": 69.8, "2016/17 Q2": 85.7, "2016/17 Q3": 91.2,
                 "2016/17 Q4": 92.4, "2017/18 Q1": 92.8, "2017/18 Q2": 93.1}, noise=1.0),
    # 5b: six-monthly reviews within 5% at Q3 (AMBER) but stall below 90% (RED): action 2.1.2
    # slips.
    "5b": Story({"2014/15 Q1": 71.8, "2015/16 Q4": 75.3, "2016/17 Q3": 86.1, "2016/17 Q4": 87.6,
                 "2017/18 Q2": 88.4}, noise=1.0),
    # 6a: published care leavers in EET at 19 were 56%; the wider 17-21 group edges up, within 5%
    # at Q3 (AMBER) and over 58% by March (BLUE).
    "6a": Story({"2014/15 Q1": 50.3, "2015/16 Q4": 52.1, "2016/17 Q3": 56.4, "2016/17 Q4": 58.3,
                 "2017/18 Q1": 58.7, "2017/18 Q2": 59.2}, noise=1.0),
    # 6b: 16-18 EET barely moves: behind the trajectory and outside 5% (RED), missed in Jan 2017.
    "6b": Story({"2014/15 Q1": 60.4, "2015/16 Q4": 62.2, "2016/17 Q3": 64.1, "2016/17 Q4": 65.4,
                 "2017/18 Q2": 66.1}, noise=1.0),
    # 7: published care leavers in suitable accommodation were 91-93%: already above 86% (GREEN
    # on the 2015/16 figure, BLUE on 2016/17).
    "7": Story({"2014/15": 84.2, "2015/16": 89.4, "2016/17": 91.3}),
    # 8: good schools for children in care: within 5% at 2016/17 H1 (AMBER), 83.6% at 2017/18 H1
    # misses 85% (RED).
    "8": Story({"2014/15 H1": 74.1, "2015/16 H2": 77.8, "2016/17 H1": 80.9, "2016/17 H2": 82.4,
                "2017/18 H1": 83.6}, noise=1.0),
    # 9a: GCSE English for children in care: small cohorts, far below 27% (RED), better but still
    # short in 2016/17 (RED).
    "9a": Story({"2014/15": 15.2, "2015/16": 18.9, "2016/17": 23.1}),
    # 9b: GCSE maths within 5% of its low 16% target (AMBER), met in 2016/17 (BLUE).
    "9b": Story({"2014/15": 12.2, "2015/16": 15.6, "2016/17": 16.9}),
    # 10: PEP timeliness tracked weekly (action 3.1.3): ahead of the trajectory (AMBER), met (BLUE).
    "10": Story({"2014/15 Q1": 60.2, "2015/16 Q4": 67.9, "2016/17 Q3": 88.1, "2016/17 Q4": 91.4,
                 "2017/18 Q1": 92.2, "2017/18 Q2": 93.2}, noise=1.5),
    # 11: persistent absence of children in care, published at 16.2% (2017): stubborn, RED.
    "11": Story({"2014/15 Q1": 17.6, "2015/16 Q4": 16.1, "2016/17 Q3": 15.1, "2017/18 Q1": 15.2,
                 "2017/18 Q2": 14.8}, noise=0.6),
    # 12a: health checks on target by Q3 (GREEN) and held (BLUE).
    "12a": Story({"2014/15 Q1": 79.8, "2015/16 Q4": 84.3, "2016/17 Q2": 88.9, "2016/17 Q3": 91.1,
                  "2016/17 Q4": 92.0, "2017/18 Q1": 92.4, "2017/18 Q2": 92.6}, noise=1.0),
    # 12b: dental checks within 5% at Q3 (AMBER) but short of 86% at March (RED).
    "12b": Story({"2014/15 Q1": 76.2, "2015/16 Q4": 80.1, "2016/17 Q3": 82.2, "2016/17 Q4": 83.4,
                  "2017/18 Q2": 84.1}, noise=1.0),
    # 13: older entrants to care, lower is better: 44.2% misses 40% by more than 5% (RED); the
    # edge-of-care work brings 2016/17 to 38.9% (BLUE once due in September 2017).
    "13": Story({"2014/15": 45.3, "2015/16": 44.2, "2016/17": 38.9}),
    # 14: published convictions of children in care: 11% (2016), 8% (2017): RED, then RED.
    "14": Story({"2014/15": 12.0, "2015/16": 11.0, "2016/17": 8.0}),
    # 15: in-house foster placements grow after the new payment structure: within 5% of 439 at
    # Q3 (AMBER) but 431 at the end misses (RED).
    "15": Story({"2014/15 Q1": 352, "2015/16 Q4": 372, "2016/17 Q3": 418, "2016/17 Q4": 426,
                 "2017/18 Q2": 431}, noise=3.0),
    # 16: homes rated good or better out of 7: 3 at Q3 is behind the trajectory (RED); two good
    # inspections in February 2017 make it 4 (BLUE). Every quarter pinned: these are whole homes.
    "16": Story({"2014/15 Q1": 2, "2014/15 Q2": 2, "2014/15 Q3": 2, "2014/15 Q4": 2,
                 "2015/16 Q1": 3, "2015/16 Q2": 2, "2015/16 Q3": 2, "2015/16 Q4": 2,
                 "2016/17 Q1": 2, "2016/17 Q2": 3, "2016/17 Q3": 3, "2016/17 Q4": 4,
                 "2017/18 Q1": 4, "2017/18 Q2": 4}),
    # 17b: through-care caseloads fall ahead of the trajectory (AMBER) and under 110 (BLUE).
    "17b": Story({"2014/15 Q1": 118.4, "2015/16 Q4": 123.6, "2016/17 Q3": 112.8,
                  "2017/18 Q1": 109.2, "2017/18 Q2": 107.6}, noise=2.0),
    # 17c: early help caseloads (the published average per social worker was 20-25) reach 20
    # early (GREEN) and stay there (BLUE).
    "17c": Story({"2014/15 Q1": 24.1, "2015/16 Q4": 22.8, "2016/17 Q2": 20.4, "2016/17 Q3": 19.6,
                  "2017/18 Q1": 18.7, "2017/18 Q2": 18.3}, noise=0.5),
    # 19c: police domestic abuse notifications ending in NFA fall, but 58.1% (2015/16) is more
    # than 5% off 50% (RED at Q3) and 53.2% in 2016/17 still misses (RED at the end).
    "19c": Story({"2014/15": 62.4, "2015/16": 58.1, "2016/17": 53.2}),
}

# Percent KPIs returned with counts: the percentage story drives the numerator, the count story
# (the named denominator series) the denominator; value = round(100 * numerator / denominator, 1).
COUNTED_KPI_STORIES: dict[str, tuple[Story, str]] = {
    # 3b: published repeat CP plans: 20.4% (2014/15), 15.7% (2015/16), 22.4% (2016/17), the
    # example of a RED in docs/rules.md#the-rules-in-order: worsening away from 15% (RED at Q3
    # and after March).
    "3b": (Story({"2014/15 Q1": 15.0, "2014/15 Q4": 20.4, "2015/16 Q4": 15.7, "2016/17 Q1": 18.5,
                  "2016/17 Q3": 21.5, "2016/17 Q4": 22.4, "2017/18 Q2": 22.7}, noise=1.5),
           "cp_plan_starts"),
    # 19a: published re-referrals: 30.2% (2014/15), 24.8% (2015/16), 23.1% (2016/17), 26.7%
    # (2017/18). Within 5% at Q3 (AMBER), met at March 2017 (BLUE then) but not sustained:
    # RED again by 2017/18 Q2.
    "19a": (Story({"2014/15 Q1": 31.5, "2014/15 Q4": 30.2, "2015/16 Q1": 28.0, "2015/16 Q4": 25.0,
                   "2016/17 Q3": 24.6, "2016/17 Q4": 23.4, "2017/18 Q1": 25.1, "2017/18 Q2": 26.0},
                  noise=0.8),
            "referrals"),
    # 19b: published referrals ending in NFA fell from 37.3% (2014/15) to 15.7% (2015/16) and 12%
    # (2016/17) after the front door changed: on target by the baseline (GREEN), held (BLUE).
    "19b": (Story({"2014/15 Q1": 35.0, "2014/15 Q4": 38.0, "2015/16 Q2": 22.0, "2015/16 Q4": 14.2,
                   "2016/17 Q3": 12.5, "2016/17 Q4": 12.0, "2017/18 Q2": 12.8}, noise=0.7),
            "referrals"),
}

# Denominators for the counted KPIs, per quarter: published referrals were 6,123 (2014/15), 4,414
# (2015/16), 5,336 (2016/17) and 6,489 (2017/18) a year; CP plans started 436, 553, 571, 515.
DENOMINATOR_STORIES: dict[str, Story] = {
    "referrals": Story({"2014/15 Q1": 1500, "2014/15 Q4": 1560, "2015/16 Q1": 1250,
                        "2015/16 Q4": 1050, "2016/17 Q1": 1280, "2016/17 Q4": 1380,
                        "2017/18 Q2": 1630}, noise=50),
    "cp_plan_starts": Story({"2014/15 Q1": 105, "2014/15 Q4": 112, "2015/16 Q4": 140,
                             "2016/17 Q4": 143, "2017/18 Q2": 129}, noise=8),
}

# Area breakdowns. The whole-authority value is the weighted mean of the (rounded) area values
# with these fixed weights: social work units for caseloads, social worker FTE for workforce rates.
AREA_WEIGHTS: dict[str, dict[str, float]] = {
    "17a": {"North": 10, "South": 12, "East Central": 10},
    "18a": {"North": 60, "South": 70, "East Central": 65},
    "18b": {"North": 60, "South": 70, "East Central": 65},
}
AREA_STORIES: dict[str, dict[str, Story]] = {
    # 17a: the plan says South area units are under pressure (action 4.1.1 is reported RED):
    # South's caseloads rise from 70 to 79 while North and East Central ease, so the whole
    # authority is RED at Q3 (behind the trajectory to 60) and RED after September 2017.
    "17a": {
        "North": Story({"2014/15 Q1": 63.2, "2015/16 Q4": 61.8, "2016/17 Q3": 60.4,
                        "2017/18 Q2": 58.6}, noise=1.2),
        "South": Story({"2014/15 Q1": 66.1, "2015/16 Q4": 70.3, "2016/17 Q3": 74.2,
                        "2017/18 Q2": 79.1}, noise=1.2),
        "East Central": Story({"2014/15 Q1": 64.3, "2015/16 Q4": 63.9, "2016/17 Q3": 62.8,
                               "2017/18 Q2": 61.4}, noise=1.2),
    },
    # 18a: published turnover was 16.1% (Sep 2016) and 9.4% (Sep 2017): under 16% by Q3
    # (GREEN) and well under at the end (BLUE); South highest throughout.
    "18a": {
        "North": Story({"2014/15 Q1": 15.2, "2015/16 Q4": 17.4, "2016/17 Q3": 14.1,
                        "2017/18 Q2": 8.6}, noise=0.8),
        "South": Story({"2014/15 Q1": 18.3, "2015/16 Q4": 21.6, "2016/17 Q3": 17.4,
                        "2017/18 Q2": 11.2}, noise=0.8),
        "East Central": Story({"2014/15 Q1": 16.1, "2015/16 Q4": 18.7, "2016/17 Q3": 14.4,
                               "2017/18 Q2": 9.1}, noise=0.8),
    },
    # 18b: published vacancy rates were 16.9% (Sep 2016) and 17.1% (Sep 2017): worsening away
    # from 10% (RED at Q3 and at the end) while recruitment (action 5.1.1) is reported RED.
    "18b": {
        "North": Story({"2014/15 Q1": 9.1, "2015/16 Q4": 13.2, "2016/17 Q3": 14.6,
                        "2017/18 Q2": 14.9}, noise=0.6),
        "South": Story({"2014/15 Q1": 12.2, "2015/16 Q4": 17.6, "2016/17 Q3": 19.4,
                        "2017/18 Q2": 20.1}, noise=0.6),
        "East Central": Story({"2014/15 Q1": 10.3, "2015/16 Q4": 14.4, "2016/17 Q3": 16.1,
                               "2017/18 Q2": 16.3}, noise=0.6),
    },
}

# Returns that never arrived: KPI 4's provider changed and its 2017/18 returns are missing, so the
# dashboard shows "return overdue".
MISSING_RETURNS = {("4", "2017/18 Q1"), ("4", "2017/18 Q2")}

# Short notes a performance officer would type; some have commas or quotes to exercise quoting.
RETURN_COMMENTS: dict[tuple[str, str, str], str] = {
    ("1a", WHOLE_AUTHORITY, "2016/17 Q3"): "Provisional: audit sample of 40",
    ("1b", WHOLE_AUTHORITY, "2017/18 Q2"): "Audit sample of 38, moderated by QA team",
    ("1c", WHOLE_AUTHORITY, "2016/17 Q1"): 'Audit definition of "good" aligned with Ofsted',
    ("3b", WHOLE_AUTHORITY, "2016/17 Q3"): "Rise linked to two large sibling groups, see CP "
                                           "conference review",
    ("4", WHOLE_AUTHORITY, "2016/17 Q4"): "New return interview provider from 1 February",
    ("9a", WHOLE_AUTHORITY, "2016/17"): "Provisional: unvalidated results, cohort of 41",
    ("15", WHOLE_AUTHORITY, "2016/17 Q3"): "Net of 9 carers deregistered, 14 approved",
    ("16", WHOLE_AUTHORITY, "2016/17 Q4"): "Two homes judged good at February inspections",
    ("17a", "South", "2017/18 Q2"): "Two unit vacancies in South, agency cover sought",
    ("18b", WHOLE_AUTHORITY, "2016/17 Q3"): "Includes 12 FTE posts held vacant pending "
                                            "restructure",
    ("19a", WHOLE_AUTHORITY, "2017/18 Q1"): "Provisional: front door changes bedding in",
}


# --- series --------------------------------------------------------------------------------------

def rng_for(key: str) -> np.random.Generator:
    """An independent, reproducible stream per series, so editing one story leaves the rest."""
    return np.random.default_rng([SEED, zlib.crc32(key.encode("utf-8"))])


def periods_for(frequency: str) -> list[ReportingPeriod]:
    """The KPI's own periods from 2014/15 Q1 up to those ending by 2017/18 Q2."""
    first = {"quarter": FIRST_QUARTER, "half": half(2014, 1),
             "year": financial_year(2014)}[kind_for_frequency(frequency)]
    return periods_between(first, LAST_QUARTER)


def draw(story: Story, periods: list[ReportingPeriod], key: str) -> list[float]:
    """The story's values for `periods`: lines between anchors, noise off the anchors."""
    labels = [p.label for p in periods]
    unknown = set(story.anchors) - set(labels)
    if unknown:
        raise ValueError(f"{key}: anchors {sorted(unknown)} are not periods of this series")
    anchor_index = sorted((labels.index(label), value) for label, value in story.anchors.items())
    xs = [i for i, _ in anchor_index]
    ys = [v for _, v in anchor_index]
    line = np.interp(np.arange(len(periods)), xs, ys)
    wobble = (rng_for(key).normal(0.0, story.noise, len(periods)) if story.noise
              else np.zeros(len(periods)))
    pinned = np.isin(np.arange(len(periods)), xs)
    return [float(v) for v in np.where(pinned, line, line + wobble)]


def clamp_percent(value: float) -> float:
    return min(100.0, max(0.0, value))


def one_dp(value: float) -> str:
    return f"{round(value, 1):.1f}"


# --- KPI returns ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReturnRow:
    kpi_ref: str
    period: ReportingPeriod
    value: str
    numerator: str = ""
    denominator: str = ""
    area: str = WHOLE_AUTHORITY

    def cells(self) -> tuple[str, ...]:
        comment = RETURN_COMMENTS.get((self.kpi_ref, self.area, self.period.label), "")
        return (self.kpi_ref, self.period.label, self.value, self.numerator, self.denominator,
                self.area, comment)


def format_value(kpi: dict[str, str], value: float) -> str:
    """Percentages and caseloads to 1 dp; counts of children and homes as integers."""
    if kpi["unit"] == "percent":
        return one_dp(clamp_percent(value))
    if kpi["unit"] == "caseload":
        return one_dp(value)
    return str(int(round(value)))


def plain_rows(kpi: dict[str, str], story: Story) -> list[ReturnRow]:
    periods = periods_for(kpi["frequency"])
    values = draw(story, periods, kpi["ref"])
    rows = []
    for period, value in zip(periods, values):
        text = format_value(kpi, value)
        if kpi["unit"] == "homes":  # "4 / 7": the count out of the plan's denominator
            rows.append(ReturnRow(kpi["ref"], period, text, text, kpi["denominator"]))
        else:
            rows.append(ReturnRow(kpi["ref"], period, text))
    return rows


def counted_rows(kpi: dict[str, str], story: Story, denominator_name: str) -> list[ReturnRow]:
    periods = periods_for(kpi["frequency"])
    percents = draw(story, periods, kpi["ref"])
    denominators = draw(DENOMINATOR_STORIES[denominator_name], periods,
                        f"denominator/{denominator_name}")
    rows = []
    for period, percent, raw_denominator in zip(periods, percents, denominators):
        denominator = max(1, int(round(raw_denominator)))
        numerator = min(denominator, max(0, int(round(percent * denominator / 100))))
        value = one_dp(100 * numerator / denominator)
        rows.append(ReturnRow(kpi["ref"], period, value, str(numerator), str(denominator)))
    return rows


def area_rows(kpi: dict[str, str]) -> list[ReturnRow]:
    """One row per area per period, and the whole authority as their fixed-weight mean."""
    periods = periods_for(kpi["frequency"])
    weights = AREA_WEIGHTS[kpi["ref"]]
    by_area = {area: [float(format_value(kpi, v)) for v in
                      draw(story, periods, f"{kpi['ref']}/{area}")]
               for area, story in AREA_STORIES[kpi["ref"]].items()}
    total_weight = sum(weights.values())
    rows = []
    for index, period in enumerate(periods):
        whole = sum(weights[area] * values[index] for area, values in by_area.items())
        rows.append(ReturnRow(kpi["ref"], period, format_value(kpi, whole / total_weight)))
        rows.extend(ReturnRow(kpi["ref"], period, format_value(kpi, values[index]), area=area)
                    for area, values in by_area.items())
    return rows


def rows_for_kpi(kpi: dict[str, str]) -> list[ReturnRow]:
    ref = kpi["ref"]
    if ref in AREA_STORIES:
        rows = area_rows(kpi)
    elif ref in COUNTED_KPI_STORIES:
        rows = counted_rows(kpi, *COUNTED_KPI_STORIES[ref])
    elif ref in KPI_STORIES:
        rows = plain_rows(kpi, KPI_STORIES[ref])
    else:
        raise ValueError(f"KPI {ref} in kpis.csv has no sample story: add one to this script")
    return [row for row in rows if (ref, row.period.label) not in MISSING_RETURNS]


def kpi_returns(kpis: list[dict[str, str]]) -> list[tuple[str, ...]]:
    """Every row, in KPI order as in kpis.csv, then area (whole authority first), then period."""
    rows: list[tuple[str, ...]] = []
    for kpi in kpis:
        kpi_rows = rows_for_kpi(kpi)
        kpi_rows.sort(key=lambda r: (r.area != WHOLE_AUTHORITY, r.area, r.period))
        rows.extend(row.cells() for row in kpi_rows)
    return rows


# --- action progress -----------------------------------------------------------------------------

STATUS_CODES = {"R": "RED", "A": "AMBER", "G": "GREEN", "B": "BLUE", ".": None}

# Exceptions to the default story, one letter per quarter end in PROGRESS_DATES (2016-09-30 ..
# 2017-09-30): R/A/G/B for a RED/AMBER/GREEN/BLUE report, "." for no report that quarter.
ACTION_STORIES: dict[str, str] = {
    # Ongoing quarterly actions: on track every quarter, bar one delayed thematic audit.
    "1.1.1": "GGGGG",
    "1.1.3": "GGAGG",
    # Assessment quality takes longer than planned: AMBER past January (shown RED, timescale
    # slipped) until judged on target in September 2017.
    "1.2.1": "AAAAG",
    # Delivered early: done and embedding (GREEN) before being signed off (BLUE).
    "1.2.3": "AGB..",
    # The LCS forms release waits on the supplier: slips two quarters past October 2016.
    "1.2.5": "AAAB.",
    # Plans for every child in need (KPIs 1b, 2b RED) never catch up: slipped from April 2017.
    "1.4.1": "AAAAA",
    # Six-monthly pathway plan reviews (KPI 5b misses): still AMBER after March.
    "2.1.2": "AAAAA",
    "2.1.1": "AGB..",
    # No progress ever reported: the dashboard shows NO DATA, then RED once the due date passes.
    "2.4.1": ".....",
    "6.1.3": ".....",
    "6.2.3": ".....",
    # New Belongings plan finished a quarter late.
    "2.5.1": "AAB..",
    "3.1.3": "GB...",
    # Weekly attendance data from academies never arrives: reported RED (KPI 11 RED).
    "3.1.4": "AARRA",
    # Youth justice strategy (KPI 14 RED) still in draft after June 2017.
    "3.4.1": "AAAAA",
    # Fostering career structure agreed late, in place from July 2017 (KPI 15 misses).
    "3.5.1": "AAAAB",
    # South area pressure (KPI 17a worsening in South): due August 2016, reported RED.
    "4.1.1": "ARRAA",
    "4.2.1": "GB...",
    # Due March 2016, before the plan began: reported complete at the first board.
    "4.2.2": "B....",
    "4.2.4": "AAAGB",
    # Recruitment cannot fill vacancies (KPI 18b worsening): reported RED for three quarters.
    "5.1.1": "ARRRA",
    # Professional expectations framework finished two quarters late.
    "5.2.1": "AAAB.",
    # Continuing national work: on track from March onwards.
    "5.2.4": "AAGGG",
    # Early Help recording migration has no date: slipped from January 2017.
    "6.1.4": "AAAAA",
}

ACTION_COMMENTS: dict[tuple[str, str], str] = {
    ("1.1.1", "2016-12-31"): "120 audits moderated, 9 regraded",
    ("1.1.3", "2017-03-31"): "Q4 thematic audit (CSE) moved to April",
    ("1.2.1", "2017-03-31"): "Assessment timeliness improving, not yet on target",
    ("1.2.5", "2016-12-31"): "LCS forms release delayed by supplier",
    ("1.2.6", "2016-12-31"): "Procedures launched on Tri.x, 3 October",
    ("1.4.1", "2017-06-30"): "320 of 410 open CIN cases reviewed",
    ("1.5.1", "2017-03-31"): "New provider started 1 February",
    ("3.1.4", "2017-03-31"): "Weekly attendance data not yet shared by all academies",
    ("3.5.2", "2017-03-31"): "Two homes judged good, see Ofsted reports",
    ("4.1.1", "2016-12-31"): "South units still above 70 cases; review actions not agreed",
    ("4.2.2", "2016-09-30"): "Completed before the plan began: CMT reviews areas monthly",
    ("5.1.1", "2016-12-31"): 'Vacancy rate 16.8%; "hard to fill" posts re-advertised',
    ("6.1.4", "2017-09-30"): "Migration to LCS awaits system upgrade",
    ("6.2.1", "2016-12-31"): "MASH pilot evaluated, report to Board in January",
}


def default_story(due: date | None) -> str:
    """AMBER each quarter until the one containing the due date, reported BLUE then; an action
    with no due date ("Report quarterly") is GREEN every quarter."""
    if due is None:
        return "G" * len(PROGRESS_DATES)
    codes, done = [], False
    for as_at in PROGRESS_DATES:
        if done:
            codes.append(".")
        elif as_at >= due:
            codes.append("B")
            done = True
        else:
            codes.append("A")
    return "".join(codes)


def action_progress(actions: list[dict[str, str]]) -> list[tuple[str, ...]]:
    known = {a["ref"] for a in actions}
    strays = set(ACTION_STORIES) - known
    if strays:
        raise ValueError(f"stories for actions not in actions.csv: {sorted(strays)}")
    rows = []
    for action in actions:
        due = date.fromisoformat(action["due_date"]) if action["due_date"] else None
        story = ACTION_STORIES.get(action["ref"]) or default_story(due)
        for as_at, code in zip(PROGRESS_DATES, story, strict=True):
            status = STATUS_CODES[code]
            if status:
                comment = ACTION_COMMENTS.get((action["ref"], as_at.isoformat()), "")
                rows.append((action["ref"], as_at.isoformat(), status, comment))
    return rows


# --- files ---------------------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def write_csv(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """UTF-8 without a BOM, "\\n" line endings, quoting only where a cell needs it."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(rows)


def make_sample_data(plan_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    kpis = read_csv(plan_dir / "kpis.csv")
    actions = read_csv(plan_dir / "actions.csv")
    out_dir.mkdir(parents=True, exist_ok=True)
    returns_path = out_dir / "kpi_returns.csv"
    progress_path = out_dir / "action_progress.csv"
    write_csv(returns_path, RETURNS_HEADER, kpi_returns(kpis))
    write_csv(progress_path, PROGRESS_HEADER, action_progress(actions))
    return returns_path, progress_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "sample",
                        help="folder to write into (default: data/sample in this repository)")
    parser.add_argument("--plan", type=Path, default=ROOT / "data" / "plan",
                        help="plan register folder (default: data/plan in this repository)")
    args = parser.parse_args(argv)
    for path in make_sample_data(args.plan, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
