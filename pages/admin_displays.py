"""`/admin/displays`: one-time links that sign a meeting-room screen in as a display."""

from __future__ import annotations

import dash

from callbacks.admin import create_display_view, displays_view, revoke_display_view
from callbacks.admin_lists import AdminListPage, admin_list_layout, register_admin_list
from components import ids
from components.admin import display_form
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/displays", name="Display links",
                   title="Display links - Improvement plan", access=Permission.MANAGE)

PAGE = AdminListPage(
    title="Display links", path="/admin/displays", intro=None,
    form=display_form, listing_title="Every display link", list_view=displays_view,
    submit_view=create_display_view, row_view=revoke_display_view,
    version_id=ids.ADMIN_DISPLAYS_VERSION, list_id=ids.ADMIN_DISPLAYS,
    result_id=ids.ADMIN_DISPLAY_RESULT, submit_id=ids.ADMIN_DISPLAY_CREATE,
    field_ids=(ids.ADMIN_DISPLAY_LABEL,), row_button_type=ids.ADMIN_DISPLAY_REVOKE)


def layout(**_query):
    return admin_list_layout(PAGE)


register_admin_list(__name__, PAGE)
