"""`/admin/users`: every user; add one, change a role or password, disable or enable."""

from __future__ import annotations

import dash

from callbacks.admin import save_user_view, toggle_user_view, users_view
from callbacks.admin_lists import AdminListPage, admin_list_layout, register_admin_list
from components import ids
from components.admin import user_form
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/users", name="Users",
                   title="Users - Improvement plan", access=Permission.MANAGE)

PAGE = AdminListPage(
    title="Users", path="/admin/users",
    intro="People who sign in with a username and password. People who sign in with the "
          "organisation's account (OpenID Connect) get their role from it and are not listed "
          "here.",
    form=user_form, listing_title="Every user", list_view=users_view,
    submit_view=save_user_view, row_view=toggle_user_view,
    version_id=ids.ADMIN_USERS_VERSION, list_id=ids.ADMIN_USERS, result_id=ids.ADMIN_USER_RESULT,
    submit_id=ids.ADMIN_USER_SAVE,
    field_ids=(ids.ADMIN_USER_NAME, ids.ADMIN_USER_ROLE, ids.ADMIN_USER_PASSWORD),
    row_button_type=ids.ADMIN_USER_TOGGLE, cleared_id=ids.ADMIN_USER_PASSWORD)


def layout(**_query):
    return admin_list_layout(PAGE)


register_admin_list(__name__, PAGE)
