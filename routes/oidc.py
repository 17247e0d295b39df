"""Sign-in with OpenID Connect (Microsoft Entra ID or any provider), through Authlib.

`/login/oidc` sends the browser to the provider with a random `state` and `nonce` kept in the
session; `/login/oidc/callback` exchanges the code for tokens and accepts the ID token only when
its signature (the provider's published keys), issuer (`OIDC_ISSUER`, which must also be what the
provider's discovery document says), audience (`OIDC_CLIENT_ID`), expiry and nonce are right. The
role comes from the role claim (`OIDC_ROLE_CLAIM`, default `roles`: Entra's app roles) through
`OIDC_ROLE_MAP`; someone with no mapped role gets the "no access" page, and no session.
"""

from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from joserfc.errors import JoseError
from requests import RequestException

from domain.rules.access import role_from_claim
from domain.store.accounts import OIDC
from routes.auth import _message, landing, login_page
from runtime.auth import OidcConfig, audit, auth_config, start_session
from runtime.gate import safe_next

CLIENT_NAME = "oidc"
NEXT_KEY = "oidc_next"
FAILED = "Signing in with your organisation's account did not work, so you are not signed in. " \
         "Try again; if it keeps failing, tell the dashboard's administrator."


def register_oidc(server, config: OidcConfig | None) -> None:
    """Register the provider with Authlib on this app (nothing when OIDC is not configured)."""
    if config is None:
        return
    oauth = OAuth(server)
    oauth.register(
        CLIENT_NAME, client_id=config.client_id, client_secret=config.client_secret,
        server_metadata_url=config.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile email"})


def _client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(
        CLIENT_NAME)


def oidc_blueprint() -> Blueprint:
    oidc = Blueprint("oidc", __name__)

    @oidc.get("/login/oidc")
    def start():
        config = auth_config().oidc
        if config is None:
            return _message("Not set up", "Signing in with an organisation's account is not set "
                            "up on this dashboard: use your username and password.", 404)
        client = _client()
        try:
            issuer = client.load_server_metadata().get("issuer")
        except (RequestException, ValueError) as error:
            audit("sign_in_failed", "openid connect", f"provider unreachable: {error}")
            return _message("Sign-in unavailable", "The organisation's sign-in service could "
                            "not be reached. Try again later.", 502)
        if issuer != config.issuer:
            audit("sign_in_failed", "openid connect",
                  f"the provider says its issuer is {issuer!r}, not {config.issuer!r}")
            return _message("Sign-in unavailable", FAILED, 502)
        session[NEXT_KEY] = safe_next(request.args.get("next"), "")
        return client.authorize_redirect(url_for("oidc.callback", _external=True))

    @oidc.get("/login/oidc/callback")
    def callback():
        config = auth_config().oidc
        if config is None:
            return _message("Not set up", "Signing in with an organisation's account is not set "
                            "up on this dashboard.", 404)
        try:
            token = _client().authorize_access_token(
                claims_options={"iss": {"essential": True, "values": [config.issuer]}})
        except (OAuthError, JoseError, RequestException, ValueError, KeyError) as error:
            audit("sign_in_failed", "openid connect", f"{type(error).__name__}: {error}")
            return login_page(FAILED, status=401)
        claims = token.get("userinfo")
        if not claims:
            audit("sign_in_failed", "openid connect", "no ID token in the provider's answer")
            return login_page(FAILED, status=401)
        who = str(claims.get("preferred_username") or claims.get("email")
                  or claims.get("name") or claims["sub"])[:200]
        role = role_from_claim(claims.get(config.role_claim), config.role_map)
        if role is None:
            audit("sign_in_refused", f"user {who}",
                  f"no mapped role in claim {config.role_claim!r}: "
                  f"{claims.get(config.role_claim)!r}", who=who, role="")
            return render_template("no_access.html", title="No access", who=who), 403
        target = session.pop(NEXT_KEY, None)
        principal = start_session(who, role, OIDC)  # a new session: nothing of the old is kept
        audit("sign_in", f"session {principal.session_id}", "openid connect")
        return redirect(landing(role, target))

    return oidc
