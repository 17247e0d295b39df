"""Signing in with OpenID Connect against a real provider started here (oidc-provider-mock, a
Flask app built on Authlib's provider side): the browser's part is played by `requests`, the
app's by its test client, and the app talks to the provider over HTTP as it would in production.

A thin WSGI wrapper in front of the provider can make its token endpoint answer for another
client (so the ID token's audience is wrong) or under another host name (so its issuer is
wrong): the tokens are still made and signed by the provider itself.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
import werkzeug.serving

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")

CLIENT_ID = "dashboard"
ROLE_MAP = "Dashboard.Admin=admin,Dashboard.Contributor=contributor,Dashboard.Viewer=viewer"


class Tampering:
    """WSGI middleware: what the provider's token endpoint is made to believe."""

    def __init__(self, app):
        self.app = app
        self.client_id: str | None = None  # answer as if this client had asked
        self.host: str | None = None  # answer as if reached under this host name

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/oauth2/token":
            if self.client_id:
                basic = base64.b64encode(f"{self.client_id}:secret".encode()).decode()
                environ["HTTP_AUTHORIZATION"] = f"Basic {basic}"
            if self.host:
                environ["HTTP_HOST"] = self.host
        return self.app(environ, start_response)


class Provider:
    def __init__(self, token_max_age: timedelta = timedelta(hours=1)):
        self.tampering = Tampering(oidc_provider_mock.app(access_token_max_age=token_max_age))
        self.server = werkzeug.serving.make_server("localhost", 0, self.tampering,
                                                   threaded=True)
        self.url = f"http://localhost:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()

    def set_user(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204


@pytest.fixture(scope="module")
def provider():
    with Provider() as running:
        yield running


@pytest.fixture
def oidc_app(settings, password_hash, provider):
    from app import create_app

    from signin import add_users

    provider.tampering.client_id = provider.tampering.host = None
    app = create_app(replace(settings, oidc_issuer=provider.url, oidc_client_id=CLIENT_ID,
                             oidc_client_secret="not-a-real-secret", oidc_role_map=ROLE_MAP))
    add_users(app, password_hash)
    return app


def events(app) -> list[tuple[str, str, str]]:
    from signin import accounts_of

    return [(e.event, e.who, e.detail) for e in reversed(accounts_of(app).audit(limit=100))]


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def sign_in_with_provider(client, sub: str, change_request=None, change_answer=None,
                          next_path: str = "/actions"):
    """The whole dance: the app sends the browser to the provider, the person picks `sub` there,
    the provider sends the browser back to the app's callback."""
    start = client.get(f"/login/oidc?next={next_path}")
    assert start.status_code == 302, start.get_data(as_text=True)
    authorize = start.headers["Location"]
    assert authorize.startswith("http://localhost:")
    query = parse_qs(urlsplit(authorize).query)
    assert query["client_id"] == [CLIENT_ID] and query["state"] and query["nonce"]
    if change_request:
        authorize = change_request(authorize)
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/login/oidc/callback"
    query = back.query if change_answer is None else change_answer(back.query)
    return client.get(f"{back.path}?{query}")


def test_the_sign_in_page_offers_the_organisation_account(oidc_app):
    page = oidc_app.server.test_client().get("/login").get_data(as_text=True)
    assert 'id="login-oidc"' in page and "/login/oidc?next=" in page


def test_a_user_with_a_mapped_role_is_signed_in_with_it(oidc_app, provider):
    provider.set_user("alice-sub", roles=["Dashboard.Viewer", "Dashboard.Contributor"],
                      preferred_username="alice@council.example")
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "alice-sub")
    assert answer.status_code == 302 and answer.headers["Location"] == "/actions"
    assert client.get("/upload").status_code == 200, "the highest mapped role: contributor"
    assert client.get("/admin/users").status_code == 403
    assert ("sign_in", "alice@council.example", "openid connect") in events(oidc_app)


def test_a_user_with_no_mapped_role_gets_the_no_access_page(oidc_app, provider):
    provider.set_user("bob-sub", roles=["Payroll.Admin"], preferred_username="bob@council.example")
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "bob-sub")
    assert answer.status_code == 403
    assert "No access to the dashboard" in answer.get_data(as_text=True)
    assert client.get("/api/kpis").status_code == 401
    assert any(event == "sign_in_refused" and who == "bob@council.example"
               for event, who, _ in events(oidc_app))


def refused(app, client, answer, *what: str) -> None:
    """Refused with the clear message, not signed in, and an audit line naming the cause."""
    assert answer.status_code == 401
    assert "did not work" in answer.get_data(as_text=True)
    assert client.get("/api/kpis").status_code == 401
    failures = [detail for event, _, detail in events(app) if event == "sign_in_failed"]
    assert failures and any(cause in failures[-1] for cause in what), failures


def test_a_wrong_state_is_refused(oidc_app, provider):
    provider.set_user("carol-sub", roles=["Dashboard.Admin"])
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(
        client, "carol-sub", change_answer=lambda q: q.replace("state=", "state=x"))
    refused(oidc_app, client, answer, "state")


def test_a_wrong_nonce_is_refused(oidc_app, provider):
    provider.set_user("dan-sub", roles=["Dashboard.Admin"])
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "dan-sub",
                                   change_request=lambda url: with_query(url, nonce="replayed"))
    refused(oidc_app, client, answer, "nonce")


def test_an_id_token_for_another_audience_is_refused(oidc_app, provider):
    """The provider issues the code and the ID token to another client: a token meant for
    another application is not accepted here."""
    provider.set_user("erin-sub", roles=["Dashboard.Admin"])
    provider.tampering.client_id = "another-app"
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(
        client, "erin-sub", change_request=lambda url: with_query(url, client_id="another-app"))
    # Authlib checks the authorised party (azp) that a token for several audiences carries,
    # then the audience: either names the wrong audience.
    refused(oidc_app, client, answer, "aud", "azp")


def test_an_id_token_from_another_issuer_is_refused(oidc_app, provider):
    provider.set_user("fay-sub", roles=["Dashboard.Admin"])
    provider.tampering.host = f"127.0.0.1:{provider.server.server_port}"
    client = oidc_app.server.test_client()
    answer = sign_in_with_provider(client, "fay-sub")
    refused(oidc_app, client, answer, "iss")


def test_an_expired_id_token_is_refused(settings, password_hash):
    from app import create_app

    with Provider(token_max_age=timedelta(minutes=-10)) as stale:
        stale.set_user("gus-sub", roles=["Dashboard.Admin"])
        app = create_app(replace(settings, oidc_issuer=stale.url, oidc_client_id=CLIENT_ID,
                                 oidc_client_secret="not-a-real-secret",
                                 oidc_role_map=ROLE_MAP))
        client = app.server.test_client()
        answer = sign_in_with_provider(client, "gus-sub")
        refused(app, client, answer, "xpired")


def test_without_oidc_settings_there_is_no_organisation_sign_in(client, stranger):
    assert 'id="login-oidc"' not in stranger.get("/login").get_data(as_text=True)
    assert stranger.get("/login/oidc").status_code == 404


def test_the_role_claim_and_its_mapping():
    from domain.rules.access import parse_role_map, role_from_claim

    mapping = parse_role_map(ROLE_MAP)
    assert role_from_claim(["Dashboard.Viewer", "Dashboard.Admin"], mapping) == "admin"
    assert role_from_claim("Dashboard.Viewer", mapping) == "viewer"
    assert role_from_claim(["admin"], mapping) is None
    assert role_from_claim(["admin", "viewer"]) == "admin", "no mapping: the role names"
    assert role_from_claim(None, mapping) is None and role_from_claim(42, mapping) is None
    with pytest.raises(ValueError, match="Dashboard.Boss=boss"):
        parse_role_map("Dashboard.Boss=boss")
