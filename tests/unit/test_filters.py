from __future__ import annotations

from urllib.parse import parse_qs

from callbacks.filters import as_list, query_string, split_list

COMMA_NAME = "Manager, Placement Service Provision"


def test_split_list_accepts_joined_text_lists_and_none():
    assert split_list(None) == ()
    assert split_list("4, 5,,4") == ("4", "5")
    assert split_list(["RED", " AMBER ", ""]) == ("RED", "AMBER")
    assert split_list(["4,5", "6"]) == ("4", "5", "6")


def test_names_with_commas_stay_whole():
    assert as_list(COMMA_NAME) == (COMMA_NAME,)
    assert as_list([COMMA_NAME, "Principal Social Worker"]) == (COMMA_NAME,
                                                                "Principal Social Worker")


def test_query_string_round_trips_names_with_commas_and_ampersands():
    names = [COMMA_NAME, "Head of Service Children in Care & Care Leavers"]
    query = query_string(theme=["4", "5"], officer=names, status=[], asat=None)
    parsed = parse_qs(query[1:])
    assert parsed["officer"] == names
    assert split_list(parsed["theme"]) == ("4", "5")
    assert "status" not in parsed and "asat" not in parsed
    assert query_string(theme=None, status=[]) == ""


def test_query_string_keeps_a_single_text_value_whole():
    assert query_string(asat="2016-17Q4") == "?asat=2016-17Q4"
