from __future__ import annotations

import re

from components.sparkline import sparkline_svg


def _points(svg: str) -> list[tuple[float, float]]:
    match = re.search(r'points="([^"]+)"', svg)
    return [tuple(map(float, pair.split(","))) for pair in match.group(1).split()]


def test_no_values_gives_an_empty_svg_of_the_right_size():
    svg = sparkline_svg([], target=10)
    assert svg.startswith("<svg") and "polyline" not in svg and 'width="132"' in svg


def test_single_value_is_a_marked_point_without_a_line():
    svg = sparkline_svg([5.0], target=None)
    assert "<circle" in svg and "polyline" not in svg


def test_higher_values_are_drawn_higher_and_the_target_is_dashed():
    svg = sparkline_svg([10, 20, 30], target=25)
    ys = [y for _, y in _points(svg)]
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards
    assert "stroke-dasharray" in svg


def test_flat_series_does_not_divide_by_zero():
    svg = sparkline_svg([7, 7, 7], target=7)
    assert len({y for _, y in _points(svg)}) == 1
