"""Financial-year periods (docs/rules.md#reporting-periods): parsing every spelling, labels, dates
and arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from domain.rules.periods import (HALF, QUARTER, YEAR, PeriodError, ReportingPeriod, financial_year,
                            half, latest_due, following, parse_period, period_for_frequency,
                            periods_between, previous, quarter, quarter_containing)

Q3_2016 = quarter(2016, 3)


# --- parsing: every spelling a performance officer types -----------------------------------------

@pytest.mark.parametrize("text", [
    "2016/17 Q3", "2016-17 Q3", "Q3 2016/17", "Q3 2016-17", "2016/2017 Q3", "2016/17Q3",
    "2016/17 q3", "q3 2016/17", "  2016/17   Q3  ", "2016 / 17 Q3", "FY2016/17 Q3",
    "2016-12-31", "2016-12-31 00:00:00", "31/12/2016", "31/12/16", "31-12-2016", "31.12.2016",
    "Dec-16", "Dec 2016", "dec-16", "DEC 2016", "December 2016", "Dec16", "Dec. 2016",
])
def test_quarter_spellings(text):
    assert parse_period(text) == Q3_2016


@pytest.mark.parametrize("text, expected", [
    ("2016/17 H1", half(2016, 1)), ("H1 2016/17", half(2016, 1)), ("h1 2016-17", half(2016, 1)),
    ("2016/17 H2", half(2016, 2)), ("H2 2016-17", half(2016, 2)), ("2016-17h2", half(2016, 2)),
])
def test_half_year_spellings(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2016/17", "2016-17", "2016/2017", " 2016 - 17 ", "FY 2016/17"])
def test_year_spellings(text):
    assert parse_period(text) == financial_year(2016)


@pytest.mark.parametrize("text, expected", [
    ("2017-03-31", quarter(2016, 4)), ("30/06/2016", quarter(2016, 1)),
    ("Sep-16", quarter(2016, 2)), ("Sept 2016", quarter(2016, 2)), ("Mar -17", quarter(2016, 4)),
    ("Jun 2017", quarter(2017, 1)), ("2016/17 Q1", quarter(2016, 1)),
    ("2016/17 Q4", quarter(2016, 4)),
])
def test_each_quarter_end_date_and_month(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text, named, hint", [
    ("2016", "2016", "bare year"),
    ("Nov-16", "Nov-16", "last month of a quarter"),
    ("2016-12-30", "2016-12-30", "last day of a quarter"),
    ("30/02/2017", "30/02/2017", "does not exist"),
    ("2016/18", "2016/18", "one year into the next"),
    ("2016/15 Q3", "2016/15 Q3", "one year into the next"),
    ("Q5 2016/17", "Q5 2016/17", "Q1 to Q4"),
    ("2016/17 Q0", "2016/17 Q0", "Q1 to Q4"),
    ("Q5", "Q5", "write a period such as"),
    ("2016/17 H3", "2016/17 H3", "H1 and H2"),
    ("H3", "H3", "write a period such as"),
    ("abc", "abc", "write a period such as"),
    ("Q3 2016", "Q3 2016", "write a period such as"),
    ("2016-13-31", "2016-13-31", "does not exist"),
])
def test_bad_spellings_raise_an_error_naming_the_text(text, named, hint):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert f"'{named}'" in str(caught.value)
    assert hint in str(caught.value)
    assert caught.value.text == named


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_is_an_error(blank):
    with pytest.raises(PeriodError, match="blank"):
        parse_period(blank)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


def test_errors_suggest_the_right_period():
    with pytest.raises(PeriodError, match="Dec 2016 for 2016/17 Q3"):
        parse_period("Nov-16")
    with pytest.raises(PeriodError, match="31/12/2016 for 2016/17 Q3"):
        parse_period("2016-12-30")
    with pytest.raises(PeriodError, match="2015/16 or 2016/17"):
        parse_period("2016")


def test_non_string_input_is_read_as_text():
    with pytest.raises(PeriodError, match="'2016'"):
        parse_period(2016)
    assert parse_period(date(2016, 12, 31)) == Q3_2016


def test_financial_year_across_a_century():
    assert parse_period("1999/00") == financial_year(1999)
    assert parse_period("2099/00 Q1") == quarter(2099, 1)


# --- labels and slugs ----------------------------------------------------------------------------

@pytest.mark.parametrize("period, label, slug", [
    (quarter(2016, 3), "2016/17 Q3", "2016-17Q3"),
    (quarter(2016, 4), "2016/17 Q4", "2016-17Q4"),
    (half(2016, 1), "2016/17 H1", "2016-17H1"),
    (half(2016, 2), "2016/17 H2", "2016-17H2"),
    (financial_year(2016), "2016/17", "2016-17"),
    (quarter(2009, 1), "2009/10 Q1", "2009-10Q1"),
    (financial_year(1999), "1999/00", "1999-00"),
])
def test_labels_and_slugs(period, label, slug):
    assert period.label == label == str(period)
    assert period.slug == slug
    assert parse_period(label) == period
    assert parse_period(slug) == period  # the URL spelling reads back


def test_fiscal_year_and_number():
    q4 = quarter(2016, 4)
    assert (q4.fiscal_year, q4.number, q4.kind) == (2016, 4, QUARTER)
    assert (half(2016, 2).number, half(2016, 2).kind) == (2, HALF)
    assert (financial_year(2016).number, financial_year(2016).kind) == (1, YEAR)


# --- start and end dates -------------------------------------------------------------------------

@pytest.mark.parametrize("period, start, end", [
    (quarter(2016, 1), date(2016, 4, 1), date(2016, 6, 30)),
    (quarter(2016, 2), date(2016, 7, 1), date(2016, 9, 30)),
    (quarter(2016, 3), date(2016, 10, 1), date(2016, 12, 31)),
    (quarter(2016, 4), date(2017, 1, 1), date(2017, 3, 31)),
    (half(2016, 1), date(2016, 4, 1), date(2016, 9, 30)),
    (half(2016, 2), date(2016, 10, 1), date(2017, 3, 31)),
    (financial_year(2016), date(2016, 4, 1), date(2017, 3, 31)),
])
def test_start_and_end_dates(period, start, end):
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("maker, bad", [(quarter, 0), (quarter, 5), (half, 0), (half, 3)])
def test_constructors_refuse_numbers_out_of_range(maker, bad):
    with pytest.raises(ValueError):
        maker(2016, bad)


@pytest.mark.parametrize("day, expected", [
    (date(2016, 4, 1), quarter(2016, 1)), (date(2016, 12, 31), quarter(2016, 3)),
    (date(2017, 1, 1), quarter(2016, 4)), (date(2017, 3, 31), quarter(2016, 4)),
])
def test_quarter_containing(day, expected):
    assert quarter_containing(day) == expected


# --- ordering ------------------------------------------------------------------------------------

def test_periods_order_by_end_then_start():
    assert quarter(2016, 1) < quarter(2016, 2) < quarter(2016, 3) < quarter(2016, 4)
    assert quarter(2015, 4) < quarter(2016, 1)
    assert quarter(2016, 2) < half(2016, 2)  # ends earlier
    assert financial_year(2016) < half(2016, 2) < quarter(2016, 4)  # same end, earlier start
    assert max([quarter(2016, 3), financial_year(2015), half(2016, 1)]) == quarter(2016, 3)
    assert sorted([quarter(2017, 1), quarter(2015, 4), quarter(2016, 2)]) == \
        [quarter(2015, 4), quarter(2016, 2), quarter(2017, 1)]


def test_periods_are_hashable_values():
    assert len({quarter(2016, 3), parse_period("Dec-16"), parse_period("2016-12-31")}) == 1
    assert isinstance(Q3_2016, ReportingPeriod)


# --- frequencies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("period, frequency, expected", [
    (quarter(2016, 4), "annual", financial_year(2016)),
    (quarter(2016, 2), "6-monthly", half(2016, 1)),
    (quarter(2016, 4), "6-monthly", half(2016, 2)),
    (quarter(2016, 3), "quarterly", quarter(2016, 3)),
    (half(2016, 2), "annual", financial_year(2016)),
    (financial_year(2016), "annual", financial_year(2016)),
    (half(2016, 1), "6-monthly", half(2016, 1)),
])
def test_period_for_frequency(period, frequency, expected):
    assert period_for_frequency(period, frequency) == expected


@pytest.mark.parametrize("period, frequency, named", [
    (quarter(2016, 3), "annual", "2016/17 Q3"),
    (quarter(2016, 3), "6-monthly", "2016/17 Q3"),
    (quarter(2016, 1), "6-monthly", "2016/17 Q1"),
    (half(2016, 1), "annual", "2016/17 H1"),
    (financial_year(2016), "quarterly", "2016/17"),
    (financial_year(2016), "6-monthly", "2016/17"),
    (half(2016, 2), "quarterly", "2016/17 H2"),
])
def test_period_for_frequency_refuses_periods_that_do_not_fit(period, frequency, named):
    with pytest.raises(PeriodError) as caught:
        period_for_frequency(period, frequency)
    assert f"'{named}'" in str(caught.value) and frequency in str(caught.value)


def test_unknown_frequency_is_an_error():
    with pytest.raises(ValueError, match="monthly"):
        period_for_frequency(Q3_2016, "monthly")


@pytest.mark.parametrize("asat, frequency, expected", [
    (quarter(2016, 3), "quarterly", quarter(2016, 3)),
    (quarter(2016, 1), "6-monthly", half(2015, 2)),
    (quarter(2016, 2), "6-monthly", half(2016, 1)),
    (quarter(2016, 3), "6-monthly", half(2016, 1)),
    (quarter(2016, 4), "6-monthly", half(2016, 2)),
    (quarter(2016, 3), "annual", financial_year(2015)),
    (quarter(2016, 4), "annual", financial_year(2016)),
    (quarter(2017, 1), "annual", financial_year(2016)),
    (financial_year(2016), "quarterly", quarter(2016, 4)),
])
def test_latest_due(asat, frequency, expected):
    assert latest_due(asat, frequency) == expected


# --- arithmetic ----------------------------------------------------------------------------------

@pytest.mark.parametrize("earlier, later", [
    (quarter(2016, 1), quarter(2016, 2)),
    (quarter(2016, 4), quarter(2017, 1)),  # across the year boundary
    (quarter(2015, 4), quarter(2016, 1)),
    (half(2016, 1), half(2016, 2)),
    (half(2015, 2), half(2016, 1)),
    (financial_year(2015), financial_year(2016)),
])
def test_previous_and_following(earlier, later):
    assert following(earlier) == later
    assert previous(later) == earlier


def test_periods_between_counts_quarters_inclusive():
    quarters = periods_between(quarter(2014, 1), quarter(2017, 2))
    assert len(quarters) == 14
    assert quarters[0] == quarter(2014, 1) and quarters[-1] == quarter(2017, 2)
    assert all(following(a) == b for a, b in zip(quarters, quarters[1:]))


def test_periods_between_edge_cases():
    assert periods_between(Q3_2016, Q3_2016) == [Q3_2016]
    assert periods_between(quarter(2016, 4), Q3_2016) == []
    assert periods_between(financial_year(2014), quarter(2016, 3)) == \
        [financial_year(2014), financial_year(2015)]


# --- the calendar helpers the labels, progress dates and explore share ---------------------------

def test_month_end_knows_leap_years():
    from domain.rules.periods import month_end

    assert month_end(2016, 2) == date(2016, 2, 29)
    assert month_end(2017, 2) == date(2017, 2, 28)
    assert month_end(2016, 12) == date(2016, 12, 31)


@pytest.mark.parametrize("day, months, expected", [
    (date(2017, 3, 31), 12, date(2016, 3, 31)),
    (date(2016, 12, 31), 3, date(2016, 9, 30)),
    (date(2017, 3, 31), 1, date(2017, 2, 28)),
    (date(2016, 1, 31), 1, date(2015, 12, 31)),
    (date(2016, 6, 30), 0, date(2016, 6, 30)),
    (date(2016, 6, 30), -3, date(2016, 9, 30)),
])
def test_months_before_gives_a_month_end(day, months, expected):
    from domain.rules.periods import months_before

    assert months_before(day, months) == expected


@pytest.mark.parametrize("text, expected", [
    ("2016-12-31", (2016, 12, 31, "2016")),
    ("2016-12-31 00:00:00", (2016, 12, 31, "2016")),
    ("31/12/2016", (2016, 12, 31, "2016")),
    ("31.12.16", (2016, 12, 31, "16")),
    ("31/02/2016", (2016, 2, 31, "2016")),  # the shape of a date; whether it exists is the caller's
    ("Dec 2016", None), ("2016/17", None), ("31/12/2016 13:00", None), ("", None),
])
def test_date_fields_read_the_shape_of_a_date(text, expected):
    from domain.rules.periods import date_fields

    assert date_fields(text) == expected
# --- years out of range (issue 17): refused by name, never a crash ------------------------------

@pytest.mark.parametrize("text, year", [
    ("9999/00 Q4", 9999), ("0000/01 Q1", 0), ("Mar 0000", 0), ("2300/01 Q1", 2300),
    ("31/12/9999", 9999), ("0001-03-31", 1), ("Q2 1850/51", 1850), ("2101-22", 2101),
    ("Dec 1989", 1989),
])
def test_a_year_outside_1990_to_2100_is_refused_by_name(text, year):
    from domain.rules.periods import YearOutOfRange

    with pytest.raises(YearOutOfRange) as raised:
        parse_period(text)
    assert raised.value.year == year
    assert "1990 to 2100" in str(raised.value) and text in str(raised.value)


@pytest.mark.parametrize("text", ["1990/91 Q1", "2100/01 Q4", "Mar 2100", "31/12/1990"])
def test_the_years_at_the_ends_of_the_range_are_read(text):
    assert parse_period(text).fiscal_year in range(1989, 2101)


@pytest.mark.parametrize("text", ["\u0662\u0660\u0661\u0666/\u0661\u0667 Q3",  # Arabic-Indic
                                  "\uff12\uff10\uff11\uff16/\uff11\uff17 Q3",  # fullwidth
                                  "2016/17 Q\u0663"])
def test_digits_other_than_0_to_9_are_not_a_period(text):
    with pytest.raises(PeriodError):
        parse_period(text)
