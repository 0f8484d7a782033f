"""Fixtures for driving the built site in headless Chromium with Playwright.

- One browser per session: Debian's /usr/bin/chromium (never `playwright install`), launched with
  flags that keep it off the network, and a net log audited when the session ends.
- Each profile is built once per session into a temporary folder: offline (opened from disk),
  hosted (served at the root of a 127.0.0.1 server) and preview (served under /preview/pr-7/).
- `site_url` is parametrized file / root / subpath, so a test that takes it runs three times; a
  test for one mode uses @pytest.mark.parametrize("site_url", ["root"], indirect=True).
- `page` is a new context and page per test with a guard: requests outside the site are aborted
  and recorded, and a blocked request, a script error, a console error or an HTTP error status
  fails the test. A test that expects blocked requests sets request.node.allow_blocked = True.

Without Chromium or Playwright the tests are skipped, unless $CI is set: then they fail.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from .browser_support import CHROMIUM_ARGS, Guard, SiteServer, audit_netlog, open_context, open_path, serve, stop

from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = ROOT / "content"
SUBPATH = "/preview/pr-7/"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_tests = Path(__file__).parent
    for item in items:
        if browser_tests in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_report_header() -> list[str]:
    try:
        playwright = importlib.metadata.version("playwright")
    except importlib.metadata.PackageNotFoundError:
        playwright = "not installed"
    binary = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium")
    chromium = "not found"
    if binary:
        try:
            chromium = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired) as error:
            chromium = f"{binary} does not run: {error}"
    return [f"browser tests: playwright {playwright}, {chromium}"]


def _unavailable(message: str) -> None:
    """Skip when the browser tools are missing, but fail when $CI is set: CI must run every test."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or ""
    if not path or not os.access(path, os.X_OK):
        _unavailable("chromium not found: apt-get install -y chromium (or set CHROMIUM_BIN)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright not installed: pip install playwright (do not run `playwright install`)")
    netlog = tmp_path_factory.mktemp("netlog") / "netlog.json"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium_path,
                                             args=CHROMIUM_ARGS + [f"--log-net-log={netlog}"])
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()
    problems = audit_netlog(netlog)
    assert not problems, "the browser reached outside 127.0.0.1:\n" + "\n".join(problems)


# --- the sites ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """build(profile) -> the folder of the shipped content built with that profile, once per session."""
    folders: dict[str, Path] = {}

    def build(profile: str) -> Path:
        if profile not in folders:
            out = tmp_path_factory.mktemp(f"site-{profile}") / "site"
            base_url = SUBPATH if profile == "preview" else None
            build_site(BuildOptions(content=CONTENT, out=out, profile=profile, base_url=base_url))
            folders[profile] = out
        return folders[profile]

    return build


@pytest.fixture(scope="session")
def root_server(built_site: Callable[[str], Path]) -> Iterator[SiteServer]:
    """The hosted build at the root of a server."""
    server = serve(built_site("hosted"), "/")
    yield server
    stop(server)


@pytest.fixture(scope="session")
def subpath_server(built_site: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The preview build under /preview/pr-7/; the document root contains nothing else, so an escape is a 404."""
    document_root = tmp_path_factory.mktemp("subpath-root")
    shutil.copytree(built_site("preview"), document_root / SUBPATH.strip("/"))
    server = serve(document_root, SUBPATH)
    yield server
    stop(server)


@pytest.fixture(params=["file", "root", "subpath"])
def site_url(request: pytest.FixtureRequest, built_site: Callable[[str], Path]) -> str:
    """The base URL of the site, ending in "/": from disk (offline build), at a server root, or under a sub-path."""
    if request.param == "file":
        return built_site("offline").resolve().as_uri() + "/"
    if request.param == "root":
        return request.getfixturevalue("root_server").url
    if request.param == "subpath":
        return request.getfixturevalue("subpath_server").url
    raise ValueError(f"unknown site_url mode {request.param!r}; expected file, root or subpath")


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def guard(request: pytest.FixtureRequest) -> Guard:
    guard = Guard()
    if "site_url" in request.fixturenames:
        guard.prefix = request.getfixturevalue("site_url")
    return guard


@pytest.fixture
def page(browser: Any, guard: Guard, request: pytest.FixtureRequest) -> Iterator[Any]:
    context, page = open_context(browser, guard)
    yield page
    context.close()
    if not getattr(request.node, "allow_blocked", False):
        problems = guard.problems()
        assert not problems, "the page misbehaved:\n" + "\n".join(problems)


@pytest.fixture
def site_page(page: Any, site_url: str) -> Any:
    """The site's home page, opened."""
    open_path(page, site_url)
    return page
