"""The preview server on 127.0.0.1: pages, redirects, the 404 page, no file outside the site, rebuild on change."""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from shelfmark import serve
from shelfmark.builder import BuildOptions
from shelfmark.console import Console
from site_helpers import CONTENT, build, copy_content

HOST = "127.0.0.1"
SECRET = "not part of the site"
THESIS = "zhou-2020-deep-learning-for-forensics"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    out = folder / "site"
    build(CONTENT, out)
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (out / "outside").symlink_to(folder / "secret.txt")
    return out


def start(site: Path):
    server = serve.make_server(site, HOST, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def stop(server, thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def port(site):
    server, thread = start(site)
    yield server.server_address[1]
    stop(server, thread)


def get(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def send_raw(port: int, data: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=10) as connection:
        connection.sendall(data)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


# --- pages --------------------------------------------------------------------------------------------


def test_home_page(port, site):
    status, _, body = get(port, "/")
    assert status == 200
    assert body == (site / "index.html").read_bytes()


def test_thesis_page(port, site):
    status, _, body = get(port, f"/theses/{THESIS}/")
    assert status == 200
    assert body == (site / "theses" / THESIS / "index.html").read_bytes()


def test_page_content_type(port):
    _, headers, _ = get(port, "/theses/")
    assert headers["Content-type"] == "text/html"


def test_asset(port, site):
    status, _, body = get(port, "/assets/site.css")
    assert status == 200
    assert body == (site / "assets" / "site.css").read_bytes()


def test_query_string_ignored(port, site):
    status, _, body = get(port, "/theses/?page=2")
    assert status == 200
    assert body == (site / "theses" / "index.html").read_bytes()


def test_folder_without_slash_redirects(port):
    status, headers, _ = get(port, "/theses")
    assert status == 301
    assert headers["Location"] == "/theses/"


def test_redirect_keeps_query(port):
    _, headers, _ = get(port, "/browse?x=1")
    assert headers["Location"] == "/browse/?x=1"


def test_missing_page_status(port):
    status, _, _ = get(port, "/no-such-page/")
    assert status == 404


def test_missing_page_body(port, site):
    _, _, body = get(port, "/no-such-page/")
    assert body == (site / "404.html").read_bytes()


def test_missing_page_head_has_no_body(port):
    status, _, body = get(port, "/no-such-page/", method="HEAD")
    assert status == 404
    assert body == b""


def test_no_folder_listing(port, site):
    status, _, body = get(port, "/assets/")
    assert status == 404
    assert body == (site / "404.html").read_bytes()


# --- nothing outside the site -------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e/secret.txt",
    "/assets/../../secret.txt",
    "/assets/../../README.md",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/etc/passwd",
    "//etc/passwd",
    "//../secret.txt",
    "http://127.0.0.1/../secret.txt",
    "/outside",
    "/%00",
    "/index.html%00.css",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_outside_site_not_served(port, site, path):
    status, _, body = get(port, path)
    assert status == 404
    assert body == (site / "404.html").read_bytes()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_outside_site_leaks_nothing(port, path):
    _, _, body = get(port, path)
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_double_slash_redirect_stays_on_host(port):
    status, headers, _ = get(port, "//theses")
    assert status == 301
    assert headers["Location"] == "/theses/"


def test_malformed_request_line(port):
    reply = send_raw(port, b"NONSENSE\r\n\r\n")
    assert b"Error code: 400" in reply


def test_bad_version_request_line(port):
    reply = send_raw(port, b"GET / HTTP/one\r\n\r\n")
    assert b"Error code: 400" in reply


def test_serves_after_malformed_request(port):
    send_raw(port, b"\xff\xfe\xfd\r\n\r\n")
    status, _, _ = get(port, "/")
    assert status == 200


def test_server_binds_loopback(port, site):
    server = serve.make_server(site, HOST, 0)
    try:
        assert server.server_address[0] == HOST
    finally:
        server.server_close()


# --- rebuild on change --------------------------------------------------------------------------------


@pytest.fixture
def watched(tmp_path, monkeypatch):
    """A content copy, its site served and watched with a short poll; yields (content, port, output lines)."""
    monkeypatch.setattr(serve, "POLL_SECONDS", 0.05)
    watching = threading.Event()
    real_state = serve.source_state

    def noting_state(folders):
        state = real_state(folders)
        watching.set()
        return state

    monkeypatch.setattr(serve, "source_state", noting_state)
    content = copy_content(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    server, server_thread = start(out)
    halt = threading.Event()
    watcher = threading.Thread(target=serve._watch, args=(BuildOptions(content, out), Console(verbosity=-1), halt),
                               daemon=True)
    watcher.start()
    assert watching.wait(10)
    yield content, server.server_address[1]
    halt.set()
    watcher.join(timeout=30)
    stop(server, server_thread)


def wait_for_title(port: int, path: str, title: str, seconds: float = 30) -> str:
    """Poll a page until its h1 reads `title` or the time runs out; return the last h1 seen."""
    deadline = time.monotonic() + seconds
    heading = ""
    while time.monotonic() < deadline:
        status, _, body = get(port, path)
        if status == 200:
            heading = BeautifulSoup(body, "html.parser").find("h1").get_text()
            if heading == title:
                break
        time.sleep(0.05)
    return heading


def retitle(content: Path, thesis_id: str, title: str) -> None:
    path = content / "theses" / f"{thesis_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: DEEP LEARNING FOR FORENSICS", f"title: {title}", 1), encoding="utf-8")


def test_record_change_rebuilds_page(watched):
    content, port = watched
    retitle(content, THESIS, "Deep Learning for Forensics, Revised")
    assert wait_for_title(port, f"/theses/{THESIS}/", "Deep Learning for Forensics, Revised") == \
        "Deep Learning for Forensics, Revised"


def test_failed_rebuild_keeps_serving(watched):
    content, port = watched
    (content / "theses" / "broken-2020-x.yaml").write_text("id: broken-2020-x\n", encoding="utf-8")
    time.sleep(1)
    status, _, body = get(port, f"/theses/{THESIS}/")
    assert status == 200
    assert BeautifulSoup(body, "html.parser").find("h1").get_text() == "DEEP LEARNING FOR FORENSICS"


def test_rebuild_after_fix(watched):
    content, port = watched
    broken = content / "theses" / "broken-2020-x.yaml"
    broken.write_text("id: broken-2020-x\n", encoding="utf-8")
    time.sleep(0.5)
    broken.unlink()
    retitle(content, THESIS, "Fixed Title")
    assert wait_for_title(port, f"/theses/{THESIS}/", "Fixed Title") == "Fixed Title"


def test_removed_site_file_not_served(tmp_path):
    out = tmp_path / "site"
    shutil.copytree(CONTENT, tmp_path / "content")
    build(tmp_path / "content", out)
    server, thread = start(out)
    try:
        (out / "about" / "index.html").unlink()
        status, _, _ = get(server.server_address[1], "/about/")
    finally:
        stop(server, thread)
    assert status == 404


# --- a site built for a base path ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def preview_port(tmp_path_factory):
    out = tmp_path_factory.mktemp("preview") / "site"
    build(CONTENT, out, profile="preview", base_url="/pr-7/")
    server = serve.make_server(out, HOST, 0, "/pr-7/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    stop(server, thread)


def test_preview_served_under_base_path(preview_port):
    status, headers, body = get(preview_port, f"/pr-7/theses/{THESIS}/")
    assert status == 200
    assert BeautifulSoup(body, "html.parser").find("h1").get_text() == "DEEP LEARNING FOR FORENSICS"


def test_preview_root_redirects_to_base_path(preview_port):
    status, headers, _ = get(preview_port, "/?q=forensics")
    assert status == 302
    assert headers["Location"] == "/pr-7/?q=forensics"
    status, headers, _ = get(preview_port, "/pr-7")
    assert status == 301
    assert headers["Location"] == "/pr-7/"
    status, headers, _ = get(preview_port, "/pr-7/theses")
    assert status == 301
    assert headers["Location"] == "/pr-7/theses/"


def test_preview_outside_base_path_not_found(preview_port):
    for path in (f"/theses/{THESIS}/", "/pr-70/", "/pr-7/../pr-7/missing/"):
        status, _, body = get(preview_port, path)
        assert status == 404, path
        links = [a["href"] for a in BeautifulSoup(body, "html.parser").find_all("a", href=True)]
        assert "/pr-7/" in links, path


def test_deploy_path_from_options_and_config(tmp_path):
    args = argparse.Namespace(content=CONTENT, profile="preview", base_url="/pr-7/")
    assert serve.deploy_path(args) == "/pr-7/"
    args = argparse.Namespace(content=CONTENT, profile="hosted", base_url=None)
    assert serve.deploy_path(args) == "/"
    args = argparse.Namespace(content=CONTENT, profile="hosted", base_url="https://example.org/theses/")
    assert serve.deploy_path(args) == "/theses/"
    args = argparse.Namespace(content=tmp_path, profile="hosted", base_url="not a url")
    assert serve.deploy_path(args) == "/"


def test_serving_message_names_content_folder():
    args = argparse.Namespace(out=Path("/tmp/trial/site"), content=Path("/tmp/trial/content"), no_watch=False)
    assert serve.serving_message(args, "127.0.0.1", 8000) == (
        "Serving /tmp/trial/site/ at http://127.0.0.1:8000/ (Ctrl+C to stop); "
        "rebuilding when /tmp/trial/content/, templates/ or assets/ change")
    args.no_watch = True
    assert serve.serving_message(args, "127.0.0.1", 8000) == "Serving /tmp/trial/site/ at http://127.0.0.1:8000/ (Ctrl+C to stop)"
    assert serve.serving_message(args, "127.0.0.1", 8000, "/pr-7/") == \
        "Serving /tmp/trial/site/ at http://127.0.0.1:8000/pr-7/ (Ctrl+C to stop)"
