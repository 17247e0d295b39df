"""`/admin/tokens`: API tokens for scripts; create one (shown once), revoke one."""

from __future__ import annotations

import dash

from callbacks.admin import create_token_view, revoke_token_view, tokens_view
from callbacks.admin_lists import AdminListPage, admin_list_layout, register_admin_list
from components import ids
from components.admin import token_form
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/tokens", name="API tokens",
                   title="API tokens - Improvement plan", access=Permission.MANAGE)

PAGE = AdminListPage(
    title="API tokens", path="/admin/tokens", intro=None,
    form=token_form, listing_title="Every token", list_view=tokens_view,
    submit_view=create_token_view, row_view=revoke_token_view,
    version_id=ids.ADMIN_TOKENS_VERSION, list_id=ids.ADMIN_TOKENS,
    result_id=ids.ADMIN_TOKEN_RESULT, submit_id=ids.ADMIN_TOKEN_CREATE,
    field_ids=(ids.ADMIN_TOKEN_NAME, ids.ADMIN_TOKEN_ROLE),
    row_button_type=ids.ADMIN_TOKEN_REVOKE)


def layout(**_query):
    return admin_list_layout(PAGE)


register_admin_list(__name__, PAGE)
