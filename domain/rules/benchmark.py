"""Where the authority stands among all English local authorities on a published measure, year
by year (issue 15; docs/rules.md#rank-and-quartile-band): its rank, 1 the best by the KPI's
polarity, with ties sharing the better rank (1, 2, 2, 4); how many authorities had a value; the
quartile band A (the best quarter) to D by rank; and the same among its statistical neighbours.
Suppressed and missing values are left out of every count, and said so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

BANDS = "ABCD"
# Fewer authorities than this with a value: no band (a quarter of three is not a quarter).
FEWEST_FOR_A_BAND = 4


@dataclass(frozen=True)
class Benchmark:
    year: str  # the published year as a label: "2016/17"
    value: float | None  # the authority's own published value
    rank: int | None  # among all authorities with a value; None when it has none
    of: int  # how many authorities had a value
    band: str | None  # A (best quarter) to D; None: no rank, or fewer than FEWEST_FOR_A_BAND
    england: float | None
    neighbours_mean: float | None
    neighbour_rank: int | None  # among itself and its neighbours with a value
    neighbours_of: int  # how many of them (itself included) had a value
    left_out: int  # authorities listed with a suppressed or missing value
    note: str  # what is left out or missing, in words ("" when nothing is)


def rank_of(value: float, values: Iterable[float], higher_is_better: bool) -> int:
    """1 + how many of `values` are strictly better than `value`: ties share the better rank."""
    if higher_is_better:
        return 1 + sum(1 for other in values if other > value)
    return 1 + sum(1 for other in values if other < value)


def band_of(rank: int | None, of: int) -> str | None:
    """The quartile band of a rank among `of`: A for the best quarter of ranks, D the worst."""
    if rank is None or of < FEWEST_FOR_A_BAND:
        return None
    return BANDS[min(len(BANDS) - 1, (rank - 1) * len(BANDS) // of)]


def benchmark(year: str, values: Mapping[str, float | None], authority: str,
              neighbours: Sequence[str], england: float | None,
              higher_is_better: bool) -> Benchmark:
    """One year's standing. `values`: every authority listed that year by its code, None where
    its value is suppressed or missing."""
    known = {code: value for code, value in values.items() if value is not None}
    left_out = len(values) - len(known)
    own = known.get(authority)
    rank = rank_of(own, known.values(), higher_is_better) if own is not None else None
    group = [known[code] for code in (authority, *neighbours) if code in known]
    neighbour_values = [known[code] for code in neighbours if code in known]
    notes = []
    if left_out:
        notes.append(f"{left_out} {'authority' if left_out == 1 else 'authorities'} suppressed "
                     "or missing, left out of the ranks")
    if own is None:
        notes.append("no published value for the authority")
    elif len(known) < FEWEST_FOR_A_BAND:
        notes.append(f"only {len(known)} authorities have a value: too few for quartile bands")
    return Benchmark(
        year=year, value=own, rank=rank, of=len(known), band=band_of(rank, len(known)),
        england=england,
        # Rounded past float noise (the mean of 15.4 and 13.7 is not 14.549999999999999).
        neighbours_mean=round(sum(neighbour_values) / len(neighbour_values), 9)
        if neighbour_values else None,
        neighbour_rank=rank_of(own, group, higher_is_better) if own is not None else None,
        neighbours_of=len(group), left_out=left_out, note="; ".join(notes))
