"""`GET /export/board-pack.pdf` under load (issue 17, item 7): a few prints at once per process
and the rest refused at once, packs kept per data revision and period, Chromium printing a file
(never fetching from this server), its process group killed on a timeout, its stderr logged
when it fails, and HEAD answered without printing."""

from __future__ import annotations

import logging
import stat
import threading
import time
from pathlib import Path

import pytest

import routes.pdf
from routes.pdf import PRINTER_KEY, BoardPackPrinter, print_html_to_pdf
from signin import csrf_headers, signed_in_client

PDF = b"%PDF-1.4 fake"


class FakePrint:
    """Stands in for Chromium: records each page it is given; can hold a print open."""

    def __init__(self, hold: threading.Event | None = None):
        self.pages: list[str] = []
        self.hold = hold
        self.started = threading.Event()

    def __call__(self, html: str, _timeout: float) -> bytes:
        self.pages.append(html)
        self.started.set()
        if self.hold is not None:
            self.hold.wait(10)
        return PDF


@pytest.fixture
def fake(app):
    printer = app.server.config[PRINTER_KEY]
    fake = FakePrint()
    app.server.config[PRINTER_KEY] = BoardPackPrinter(printer.stylesheets, print_pdf=fake)
    return fake


def test_head_answers_without_printing(client, fake, monkeypatch):
    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: "/usr/bin/chromium")
    response = client.head("/export/board-pack.pdf?asat=2016-17Q4")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert "board-pack-2016-17Q4.pdf" in response.headers["Content-Disposition"]
    assert fake.pages == []


def test_head_without_a_browser_is_503_like_get(client, fake, monkeypatch):
    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: None)
    assert client.head("/export/board-pack.pdf").status_code == 503
    assert fake.pages == []


def test_chromium_is_given_the_pack_itself_with_its_styles(client, fake):
    response = client.get("/export/board-pack.pdf?asat=2016-17Q3")
    assert response.status_code == 200 and response.data == PDF
    (page,) = fake.pages
    assert "Board pack as at" in page and "2016/17 Q3" in page and "Theme 1" in page
    assert ".report-page" in page and "--bs-" in page  # report.css and Bootstrap, inline
    assert "/report?" not in page and "127.0.0.1" not in page
    assert "<script" not in page


def test_a_pack_is_kept_per_data_revision_and_period(app, client, fake):
    for _ in range(3):
        assert client.get("/export/board-pack.pdf?asat=2016-17Q4").status_code == 200
    assert len(fake.pages) == 1
    client.get("/export/board-pack.pdf?asat=Q4 2016/17")  # the same period, spelt otherwise
    assert len(fake.pages) == 1
    client.get("/export/board-pack.pdf?asat=2016-17Q3")
    assert len(fake.pages) == 2
    response = client.post("/api/returns", data=b"kpi_ref,period,value\n19a,2016/17 Q4,12.5\n",
                           headers=csrf_headers(client))
    assert response.status_code == 200 and response.get_json()["committed"]
    client.get("/export/board-pack.pdf?asat=2016-17Q4")
    assert len(fake.pages) == 3
    assert "12.5%" in fake.pages[-1]


def test_prints_beyond_the_limit_are_refused_at_once_with_retry_after(app):
    hold = threading.Event()
    slow = FakePrint(hold)
    app.server.config[PRINTER_KEY] = BoardPackPrinter(print_pdf=slow, prints_at_once=1)
    answers = []

    def first():
        answers.append(signed_in_client(app, "admin").get(
            "/export/board-pack.pdf?asat=2016-17Q4"))

    printing = threading.Thread(target=first)
    printing.start()
    try:
        assert slow.started.wait(10)
        second = signed_in_client(app, "admin").get("/export/board-pack.pdf?asat=2016-17Q3")
        assert second.status_code == 503
        assert int(second.headers["Retry-After"]) > 0
        assert "try again" in second.get_json()["error"]
        kept = signed_in_client(app, "admin").get("/api/kpis")  # the rest of the app answers
        assert kept.status_code == 200
    finally:
        hold.set()
        printing.join(10)
    assert answers[0].status_code == 200
    assert len(slow.pages) == 1


def fake_chromium(folder: Path, script: str) -> str:
    path = folder / "chromium"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_the_whole_process_group_is_killed_on_a_timeout(tmp_path, monkeypatch, caplog):
    pid_file = tmp_path / "helper.pid"
    browser = fake_chromium(tmp_path, f"sleep 300 &\necho $! > {pid_file}\nsleep 300\n")
    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: browser)
    with caplog.at_level(logging.ERROR, logger="routes.pdf"):
        with pytest.raises(RuntimeError, match="too long"):
            print_html_to_pdf("<p>pack</p>", timeout=1)
    helper = int(pid_file.read_text())
    assert not alive(helper), "Chromium's helper process outlived the timeout"
    assert "killed" in caplog.text


def alive(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except FileNotFoundError:
            return False
        if state == "Z":  # killed, waiting for its new parent to reap it
            return False
        time.sleep(0.05)
    return True


def test_chromium_failing_logs_its_stderr(tmp_path, monkeypatch, caplog):
    browser = fake_chromium(tmp_path, "echo 'GPU process is not usable. Goodbye.' >&2\nexit 3\n")
    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: browser)
    with caplog.at_level(logging.ERROR, logger="routes.pdf"):
        with pytest.raises(RuntimeError, match="could not print"):
            print_html_to_pdf("<p>pack</p>")
    assert "Goodbye" in caplog.text and "exit status 3" in caplog.text


def test_chromium_prints_a_file_and_is_offered_no_network(tmp_path, monkeypatch):
    browser = fake_chromium(tmp_path, 'for a; do last="$a"; done\n'
                                      'for a; do case "$a" in --print-to-pdf=*) '
                                      'printf "%%PDF" > "${a#--print-to-pdf=}";; esac; done\n'
                                      f'echo "$last" > {tmp_path}/url\n'
                                      f'printf "%s\\n" "$@" > {tmp_path}/arguments\n'
                                      f'cat "${{last#file://}}" > {tmp_path}/page\n')
    monkeypatch.setattr(routes.pdf, "chromium_path", lambda: browser)
    assert print_html_to_pdf("<p>the pack</p>").startswith(b"%PDF")
    url = (tmp_path / "url").read_text().strip()
    assert url.startswith("file://") and url.endswith(".html")
    assert (tmp_path / "page").read_text() == "<p>the pack</p>"
    arguments = (tmp_path / "arguments").read_text().splitlines()
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in arguments
    assert not any(a.startswith(("http:", "https:")) for a in arguments)


def test_a_static_page_escapes_what_it_writes():
    from dash import dcc, html

    from components.static_page import static_page, to_html

    made = to_html(html.Div([html.P("<b>x</b> & y", className='a"b'),
                             dcc.Link("link", href="/kpi/19a"), html.Img(src="data:x"),
                             dcc.Store(id="s", data=1), None, 3],
                            style={"marginTop": "1px"}, **{"aria-label": "z"}))
    assert made == ('<div style="margin-top: 1px" aria-label="z"><p class="a&quot;b">&lt;b&gt;x'
                    '&lt;/b&gt; &amp; y</p><a href="/kpi/19a">link</a><img src="data:x">3</div>')
    assert static_page("x", "T<", ["p{}"]).startswith('<!DOCTYPE html>\n<html lang="en-GB">')
