"""The meeting-room display's questions: which slides, in which order, and what each one shows.

Slides are a summary and then one slide per theme, in the order the URL gives (`?theme=4,5`).
The summary is the status counts per theme, then every RED KPI and every overdue action on as
many further summary slides as they need at a size readable across a room: items run on to
another slide rather than off the bottom of the screen, so every one is shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from domain.views.actions_view import ref_key
from domain.rules.dataset import Dataset, asat_with_fallback, partial_note
from domain.views.exceptions import ExceptionRow, exception_rows
from domain.views.overview import Tile
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Action, Kpi, Plan, Theme
from domain.rules.rag import STATUS_ORDER, ActionStatus, KpiStatus, Rag

DEFAULT_INTERVAL = 30  # seconds per slide
MIN_INTERVAL, MAX_INTERVAL = 2, 3600
RED_ITEMS_PER_SLIDE = 12  # items in one list of a summary slide, at most
LINES_PER_SLIDE = 15  # lines of one list at 28 px, below the header, on a 1080-pixel screen
# Characters in one line of a summary list (half of a 1920-pixel screen at 28 px, less a
# margin): an item longer than this wraps rather than being cut, and takes more lines.
CHARS_PER_LINE = 56
CHARTED = (Rag.RED, Rag.AMBER)
# A commentary on a slide is cut to this many characters (the board pack has it whole): a slide
# is read across a room, and one long text would push every other KPI off it.
SLIDE_COMMENTARY_CHARS = 200


@dataclass(frozen=True)
class SummarySlide:
    counts: tuple[tuple[Theme, dict[Rag, int]], ...]  # KPI statuses per theme
    red_kpis: tuple[tuple[Kpi, KpiStatus], ...]
    overdue_actions: tuple[tuple[Action, ActionStatus], ...]
    part: int  # 1-based: part 1 shows the counts, later parts the red items
    parts: int
    red_total: int
    overdue_total: int


@dataclass(frozen=True)
class ExceptionSlide:
    """Issue 14: RED and AMBER KPIs with their commentary, as many slides as they need."""

    rows: tuple[ExceptionRow, ...]
    part: int  # 1-based
    parts: int
    total: int


@dataclass(frozen=True)
class ThemeSlide:
    theme: Theme
    tiles: tuple[Tile, ...]
    charted: tuple[Tile, ...]  # the RED and AMBER KPIs, worst first


@dataclass(frozen=True)
class PresentView:
    asat: ReportingPeriod
    asat_error: str | None
    is_sample: bool
    index: int  # 0-based, already wrapped into range
    count: int
    slide: SummarySlide | ExceptionSlide | ThemeSlide
    partial_note: str | None = None  # the as-at quarter's returns are still arriving


def interval_seconds(text: str | None) -> int:
    """Seconds per slide from the URL, kept between 2 s and an hour; default 30."""
    try:
        seconds = int(float(str(text).strip()))
    except (TypeError, ValueError, OverflowError):  # OverflowError: "1e999" is infinite
        return DEFAULT_INTERVAL
    return min(max(seconds, MIN_INTERVAL), MAX_INTERVAL)


def theme_order(plan: Plan, text: str | list | tuple | None) -> tuple[int, ...]:
    """Theme numbers in the order the URL gives them (`"4,5"`); unknown ones dropped, repeats
    dropped; every theme in plan order when none is given or none is known."""
    parts = list(text) if isinstance(text, (list, tuple)) else [text or ""]
    known = {str(theme.number): theme.number for theme in plan.themes}
    order: list[int] = []
    for part in (p.strip() for item in parts for p in str(item).split(",")):
        if part in known and known[part] not in order:  # "²" and "٤" are not theme numbers
            order.append(known[part])
    return tuple(order) or tuple(theme.number for theme in plan.themes)


def _lines(text: str) -> int:
    return max(1, -(-len(text) // CHARS_PER_LINE))


def _by_lines(items: tuple, text_of, budget: int = LINES_PER_SLIDE) -> list[tuple]:
    """Items in runs of at most `budget` lines (an item's lines from its words' length) and
    RED_ITEMS_PER_SLIDE items, so a long KPI name wraps onto another line rather than being
    cut off, and the list still fits the screen."""
    chunks: list[tuple] = []
    current: list = []
    used = 0
    for item in items:
        lines = _lines(text_of(item))
        if current and (used + lines > budget or len(current) == RED_ITEMS_PER_SLIDE):
            chunks.append(tuple(current))
            current, used = [], 0
        current.append(item)
        used += lines
    if current:
        chunks.append(tuple(current))
    return chunks


def red_kpi_text(kpi: Kpi, status: KpiStatus) -> str:
    """What a summary slide says of a RED KPI (components/present.py shows these words)."""
    return f"RED {kpi.ref} {kpi.format_value(status.value)} {kpi.measure}"


def overdue_action_text(action: Action, status: ActionStatus) -> str:
    return f"RED {action.ref} due {action.due_label}: {action.heading}"


def summary_slides(dataset: Dataset, asat: ReportingPeriod, themes: tuple[int, ...]
                   ) -> list[SummarySlide]:
    """Counts per theme and every RED KPI and overdue action of those themes."""
    dataset = dataset.at(asat)  # the targets in force then
    plan = dataset.plan
    kpi_status = dataset.kpi_statuses(asat)
    action_status = dataset.action_statuses(asat)
    counts = []
    for number in themes:
        tally = Counter(kpi_status[k.ref].status for k in plan.kpis if k.theme == number)
        counts.append((plan.theme(number), {s: tally.get(s, 0) for s in STATUS_ORDER}))
    red = tuple((k, kpi_status[k.ref]) for number in themes for k in plan.kpis
                if k.theme == number and kpi_status[k.ref].status is Rag.RED)
    overdue = tuple(sorted(((a, action_status[a.ref]) for a in plan.actions
                            if a.theme in themes and action_status[a.ref].timescale_slipped),
                           key=lambda pair: (themes.index(pair[0].theme), ref_key(pair[0].ref))))
    red_parts = _by_lines(red, lambda pair: red_kpi_text(*pair))
    overdue_parts = _by_lines(overdue, lambda pair: overdue_action_text(*pair))
    lists = max(len(red_parts), len(overdue_parts))
    red_parts += [()] * (lists - len(red_parts))
    overdue_parts += [()] * (lists - len(overdue_parts))
    parts = 1 + lists
    first = SummarySlide(tuple(counts), (), (), 1, parts, len(red), len(overdue))
    return [first] + [SummarySlide(tuple(counts), red_part, overdue_part, n + 2, parts,
                                   len(red), len(overdue))
                      for n, (red_part, overdue_part) in enumerate(zip(red_parts,
                                                                        overdue_parts))]


def slide_commentary(row: ExceptionRow) -> str:
    """A row's commentary as a slide shows it: cut at a word with "..." when long."""
    text = " ".join(row.text.split())
    if len(text) <= SLIDE_COMMENTARY_CHARS:
        return text
    return text[:SLIDE_COMMENTARY_CHARS].rsplit(" ", 1)[0] + " ... (in full in the board pack)"


def exception_text(row: ExceptionRow) -> str:
    """What an exception slide says of a KPI (components/present.py shows these words)."""
    return (f"{row.status.status.value} {row.kpi.ref} {row.value_shown} target "
            f"{row.kpi.target_label} {row.kpi.measure} {slide_commentary(row)}")


def exception_slides(dataset: Dataset, asat: ReportingPeriod, themes: tuple[int, ...]
                     ) -> list[ExceptionSlide]:
    """The RED and AMBER KPIs of those themes on as many slides as they need (at least one,
    which says when there are none)."""
    rows = tuple(row for row in exception_rows(dataset, asat) if row.kpi.theme in themes)
    parts = _by_lines(rows, exception_text) or [()]
    return [ExceptionSlide(part, n + 1, len(parts), len(rows)) for n, part in enumerate(parts)]


def theme_slide(dataset: Dataset, asat: ReportingPeriod, number: int) -> ThemeSlide:
    dataset = dataset.at(asat)  # the targets in force then
    statuses = dataset.kpi_statuses(asat)
    tiles = tuple(Tile(k, statuses[k.ref], dataset.observations_until(k.ref, asat))
                  for k in dataset.plan.kpis if k.theme == number)
    charted = tuple(sorted((t for t in tiles if t.status.status in CHARTED),
                           key=lambda t: STATUS_ORDER.index(t.status.status)))
    return ThemeSlide(dataset.plan.theme(number), tiles, charted)


def slide_count(dataset: Dataset, asat_text: str | None, themes_text=None) -> int:
    asat, _ = asat_with_fallback(dataset, asat_text)
    themes = theme_order(dataset.plan, themes_text)
    return (len(summary_slides(dataset, asat, themes))
            + len(exception_slides(dataset, asat, themes)) + len(themes))


def present_view(dataset: Dataset, index: int, asat_text: str | None = None,
                 themes_text=None) -> PresentView:
    """Slide `index` (wrapped round, so the display loops) as at the period the URL gives."""
    asat, asat_error = asat_with_fallback(dataset, asat_text)
    themes = theme_order(dataset.plan, themes_text)
    # The summary, then the exception report (issue 14), then each theme.
    leading = [*summary_slides(dataset, asat, themes), *exception_slides(dataset, asat, themes)]
    count = len(leading) + len(themes)
    index = slide_index(index) % count
    slide = (leading[index] if index < len(leading)
             else theme_slide(dataset, asat, themes[index - len(leading)]))
    return PresentView(asat, asat_error, dataset.is_sample, index, count, slide,
                       partial_note(dataset, asat))


def slide_index(value) -> int:
    """A slide position from the URL or sent back by the browser; 0 for anything that is not a
    whole number of at most 9 digits (the state lives in the page, so a crafted request can send
    any JSON)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e9 else 0
    text = value.strip() if isinstance(value, str) else ""
    if text.startswith("-"):
        return -slide_index(text[1:]) if text[1:].isascii() and text[1:].isdigit() else 0
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0


def next_state(state: dict | None, trigger: str | None, count: int) -> dict:
    """The display's position after a tick, a key or a button: `{"index": i, "paused": bool}`.

    A tick or "next" moves on one, "prev" back one (both wrap round); "pause" toggles pausing.
    Ticks are ignored while paused, so a late tick can not move a paused display.
    """
    state = state if isinstance(state, dict) else {}
    state = {"index": slide_index(state.get("index", 0)),
             "paused": bool(state.get("paused", False))}
    count = max(count, 1)
    if trigger == "pause":
        state["paused"] = not state["paused"]
    elif trigger == "next" or (trigger == "tick" and not state["paused"]):
        state["index"] = (state["index"] + 1) % count
    elif trigger == "prev":
        state["index"] = (state["index"] - 1) % count
    return state
