"""The session cookie: signed with SECRET_KEY (from the environment, or generated once into the
data folder with owner-only permissions), HttpOnly, SameSite=Lax, and Secure whenever the request
came over HTTPS (directly, or through a proxy the app is told to trust)."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import request
from flask.sessions import SecureCookieSessionInterface

SECRET_KEY_FILE = "secret_key"
# A display screen's cookie lasts as long as browsers keep one (Chromium's cap is 400 days); the
# session behind it ends when its display link is revoked.
LASTING_COOKIE = timedelta(days=400)


class SecureWhenHttps(SecureCookieSessionInterface):
    def get_cookie_secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def secret_key(configured: str | None, data_dir: Path) -> str:
    """SECRET_KEY as configured, else the one in the data folder, made the first time (the
    create is exclusive, so two workers starting at once end up with the same key)."""
    if configured:
        return configured
    path = Path(data_dir) / SECRET_KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another worker may be writing it this instant
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.1)
        raise RuntimeError(f"{path} is empty: delete it and start again")
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        key = secrets.token_hex(32)
        file.write(key)
    return key


def configure(server, key: str) -> None:
    server.secret_key = key
    server.session_interface = SecureWhenHttps()
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         PERMANENT_SESSION_LIFETIME=LASTING_COOKIE)
