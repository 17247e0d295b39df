"""The /present handler renders the slide that the state machine lands on, from the dataset."""

from __future__ import annotations

from callbacks.present import move, present_config
from components import ids
from layout_tree import text as _text


def test_next_renders_the_next_slide_and_its_number(dataset):
    config = present_config(10, (5, 4), "2016-17Q4")
    state, disabled, interval, slide, meta, progress, word = move(
        dataset, ids.PRESENT_NEXT, {"index": 0, "paused": False}, config)
    assert state["index"] == 1 and not disabled and word == "Pause"
    assert interval in (10000, 10001)
    assert "2016/17 Q4" in _text(meta) and "Sample data" in _text(meta)
    assert "Slide 2 of" in _text(progress)


def test_pause_disables_the_timer(dataset):
    config = present_config(10, (5,), None)
    state, disabled, _interval, *_rest, word = move(dataset, ids.PRESENT_PAUSE,
                                         {"index": 0, "paused": False}, config)
    assert state["paused"] and disabled and word == "Resume"


def test_a_changed_dataset_shows_on_the_next_slide(dataset):
    """Each render reads the dataset it is given, so a new upload shows at the next tick."""
    import dataclasses

    config = present_config(10, (5,), None)
    live = dataclasses.replace(dataset, is_sample=False)
    _state, _disabled, _interval, _slide, meta, *_ = move(live, ids.PRESENT_TICK,
                                               {"index": 0, "paused": False}, config)
    assert "Sample data" not in _text(meta)


def test_every_move_restarts_the_timer():
    from callbacks.present import restarted_interval

    config = present_config(10, (5,), None)
    first = restarted_interval(config, None)
    second = restarted_interval(config, first)
    assert first != second and abs(first - second) == 1 and 10000 in (first, second)
    assert restarted_interval(config, second) == first
