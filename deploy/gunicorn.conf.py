"""A sample gunicorn configuration for the dashboard (README: "Running in production").

    gunicorn -c deploy/gunicorn.conf.py 'app:server'

The app's own settings come from the environment, not from here: DATA_DIR, DATABASE_URL,
PUBLISHED_DATA_DIR, TRUSTED_PROXIES and LOG_FORMAT. Options given on gunicorn's command line
override this file.
"""

import os

# Behind a reverse proxy on the same machine; use 0.0.0.0:8050 (or a private address) when the
# proxy is elsewhere, and let only the proxy reach it.
bind = os.environ.get("BIND", "127.0.0.1:8050")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# The server-printed board pack (/export/board-pack.pdf) runs headless Chromium: give it time.
timeout = 120
graceful_timeout = 30
# Each worker builds its own app, with its own database connections, after the fork: never
# preload (a connection pool must not be shared between processes).
preload_app = False
# Recycle each worker now and then, at different moments, so none grows for ever.
max_requests = 2000
max_requests_jitter = 200
# The app logs one line per request itself (runtime/logs.py); gunicorn's access log would
# repeat it. gunicorn's own messages go to standard error beside the app's.
accesslog = None
errorlog = "-"
# Which proxies may tell gunicorn the request came over https (X-Forwarded-Proto): the proxy's
# address only. The client address and host headers are the app's TRUSTED_PROXIES setting.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
