"""Reading a Dash layout in a test: every component, one by its id, the words it shows."""

from __future__ import annotations

from collections.abc import Iterator


def components(tree) -> Iterator:
    """Every component in a layout, depth first."""
    if tree is None or isinstance(tree, (str, int, float)):
        return
    if isinstance(tree, (list, tuple)):
        for item in tree:
            yield from components(item)
        return
    yield tree
    yield from components(getattr(tree, "children", None))


def by_id(tree, component_id):
    found = [c for c in components(tree) if getattr(c, "id", None) == component_id]
    assert len(found) == 1, f"{len(found)} components with id {component_id!r}"
    return found[0]


def ids_in(tree) -> set:
    return {c.id for c in components(tree) if isinstance(getattr(c, "id", None), str)}


def text(tree) -> str:
    """The words a layout (or part of one) shows, single-spaced."""
    if tree is None:
        return ""
    if isinstance(tree, (str, int, float)):
        return " ".join(str(tree).split())
    if isinstance(tree, (list, tuple)):
        return " ".join(filter(None, (text(item) for item in tree)))
    return text(getattr(tree, "children", None))


def of_type(tree, kind) -> list:
    return [c for c in components(tree) if isinstance(c, kind)]


def classed(tree, name: str) -> list:
    return [c for c in components(tree) if name in (getattr(c, "className", None) or "").split()]
