"""The 404 page served at a missing address, at a server root and under a sub-path, like a real host does."""

from __future__ import annotations

import shutil
import threading
from functools import partial
from pathlib import Path
from typing import Iterator

import pytest

from shelfmark.builder import BuildOptions, build_site
from shelfmark.serve import SiteRequestHandler

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = ROOT / "content"


class _HostHandler(SiteRequestHandler):
    """Serves a document root and answers every missing address with one site's 404.html."""

    not_found_page: Path

    def not_found(self):
        body = self.not_found_page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def _serve(document_root: Path, site: Path) -> Iterator[str]:
    import http.server

    handler = type("Handler", (_HostHandler,), {"not_found_page": site / "404.html"})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, site=document_root))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module", params=["/", "/preview/pr-7/"])
def host(request, tmp_path_factory) -> Iterator[str]:
    """The site's base URL on a host that shows 404.html for missing addresses."""
    prefix = request.param
    document_root = tmp_path_factory.mktemp("host")
    site = document_root / prefix.strip("/") if prefix != "/" else document_root
    out = tmp_path_factory.mktemp("build") / "site"
    profile = "hosted" if prefix == "/" else "preview"
    build_site(BuildOptions(content=CONTENT, out=out, profile=profile, base_url=None if prefix == "/" else prefix))
    shutil.copytree(out, site, dirs_exist_ok=True)
    for url in _serve(document_root, site):
        yield url + prefix.lstrip("/")


def _expect_one_missing_page(guard) -> None:
    """The deliberate 404 is the only bad response and the only console error."""
    assert [entry.split(" ", 1)[0] for entry in guard.bad_responses] == ["404"]
    guard.bad_responses.clear()
    guard.console_errors[:] = [m for m in guard.console_errors if "404" not in m]


def test_missing_address_shows_404_page(page, guard, host):
    guard.prefix = host
    response = page.goto(host + "no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    _expect_one_missing_page(guard)


def test_404_page_loads_its_stylesheet(page, guard, host):
    guard.prefix = host
    page.goto(host + "deep/ly/missing/page.html")
    sheets = page.evaluate("[...document.styleSheets].map(sheet => [sheet.href, sheet.cssRules.length])")
    assert len(sheets) == 1
    assert sheets[0][0] == host + "assets/site.css"
    assert sheets[0][1] > 50
    _expect_one_missing_page(guard)


def test_404_page_links_work(page, guard, host):
    guard.prefix = host
    page.goto(host + "no/such/page/")
    with page.expect_navigation():
        page.get_by_role("link", name="All theses").click()
    assert page.locator("h1").inner_text() == "All theses"
    assert page.url == host + "theses/"
    _expect_one_missing_page(guard)
