"""Meeting-room display handlers: a tick, key or button in; the next slide out.

Each slide is rendered from `current_dataset()`, which reloads when the data changes, so a newly
committed upload appears on the next slide without reloading the page.
"""

from __future__ import annotations

from components import ids
from components.present import present_meta, present_progress, present_slide
from domain.rules.dataset import Dataset
from domain.views.outcomes import outcomes_by_theme
from domain.views.present import interval_seconds, next_state, present_view, slide_count

TRIGGERS = {ids.PRESENT_TICK: "tick", ids.PRESENT_PREV: "prev", ids.PRESENT_NEXT: "next",
            ids.PRESENT_PAUSE: "pause"}


def present_config(interval: int, themes: tuple[int, ...], asat: str | None) -> dict:
    return {"interval": interval, "theme": ",".join(str(t) for t in themes), "asat": asat}


def _config(config) -> dict:
    """The display's settings as the browser sent them back, made safe: the page holds them,
    so a crafted request can send anything."""
    config = config if isinstance(config, dict) else {}
    asat = config.get("asat")
    return {"interval": interval_seconds(config.get("interval")),
            "theme": config.get("theme"), "asat": asat if isinstance(asat, str) else None}


def render(dataset: Dataset, state: dict, config: dict, ratings=()) -> tuple:
    """Slide, header meta, progress footer and the pause button's word for `state`."""
    config = _config(config)
    view = present_view(dataset, state["index"], config["asat"], config["theme"])
    paused = state["paused"]
    return (present_slide(view, outcomes_by_theme(dataset, view.asat, ratings)),
            present_meta(view),
            present_progress(view, config["interval"], paused),
            "Resume" if paused else "Pause")


def restarted_interval(config: dict, current_ms: int | None) -> int:
    """The timer's period in ms, one ms off what it was: a changed period restarts the browser's
    timer, so after a key press the next slide gets its whole interval, as the bar shows."""
    base = _config(config)["interval"] * 1000
    return base + 1 if current_ms == base else base


def move(dataset: Dataset, trigger_id: str | None, state: dict | None, config: dict,
         current_ms: int | None = None, ratings=()) -> tuple:
    """Advance, go back or (un)pause, then render:
    `(state, tick disabled, tick interval, *render(...))`."""
    safe = _config(config)
    count = slide_count(dataset, safe["asat"], safe["theme"])
    state = next_state(state, TRIGGERS.get(trigger_id), count)
    return (state, state["paused"], restarted_interval(config, current_ms),
            *render(dataset, state, config, ratings))
