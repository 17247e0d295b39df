"""The upload kinds, each declared once in its own module (see README.md in this folder), and
the layouts a file of each may come in.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from domain.ingest.kinds import (action_progress, comparators, kpi_commentary, kpi_values,
                                 kpi_values_wide)
from domain.ingest.kinds.action_progress import ACTION_PROGRESS
from domain.ingest.kinds.comparators import COMPARATORS
from domain.ingest.kinds.declaration import Layout, UploadKind, long_layout
from domain.ingest.kinds.kpi_commentary import KPI_COMMENTARY
from domain.ingest.kinds.kpi_values import KPI_VALUES

# In the order the upload page and the store list them.
UPLOAD_KINDS: tuple[UploadKind, ...] = (kpi_values.KIND, action_progress.KIND, comparators.KIND,
                                        kpi_commentary.KIND)
OTHER_LAYOUTS: tuple[Layout, ...] = (kpi_values_wide.LAYOUT,)

KINDS_BY_NAME: Mapping[str, UploadKind] = MappingProxyType({k.name: k for k in UPLOAD_KINDS})


def upload_kind(name: str) -> UploadKind:
    return KINDS_BY_NAME[name]


def layouts() -> tuple[Layout, ...]:
    """Every layout, each kind's long layout followed by its others: the upload page's list."""
    out = []
    for kind in UPLOAD_KINDS:
        others = [layout for layout in OTHER_LAYOUTS if layout.kind is kind]
        out += [long_layout(kind, has_other_layouts=bool(others)), *others]
    return tuple(out)


def recognition_order() -> tuple[Layout, ...]:
    """The order in which a file's header is tried: long layouts needing the most columns first
    (a comparators header also names every column of KPI values), then the others."""
    return tuple(sorted(layouts(), key=lambda layout: (not layout.is_long,
                                                       -len(layout.kind.required))))


def expected_columns() -> str:
    """Every layout's header in words, for a file no layout recognises."""
    parts = []
    for kind in UPLOAD_KINDS:
        others = "".join(f", or {layout.expected}" for layout in OTHER_LAYOUTS
                         if layout.kind is kind)
        parts.append(f"{', '.join(kind.required)} ({kind.title}{others})")
    return "; ".join(parts[:-1]) + "; or " + parts[-1] if len(parts) > 1 else parts[0]


__all__ = ["ACTION_PROGRESS", "COMPARATORS", "KINDS_BY_NAME", "KPI_COMMENTARY", "KPI_VALUES",
           "OTHER_LAYOUTS", "UPLOAD_KINDS", "Layout", "UploadKind", "expected_columns", "layouts",
           "recognition_order", "upload_kind"]
