"""Helpers for the browser tests: launch flags, the request guard, page and server helpers, the net-log audit.

Test modules import from here; tests/browser/conftest.py turns these into fixtures.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VIEWPORT = {"width": 800, "height": 600}
TIMEOUT_MS = 10_000

# Playwright adds --headless, --no-sandbox and a fresh --user-data-dir. The resolver rule and
# --no-proxy-server stop the DNS lookups Chromium 156 makes for Google services even with the
# other flags; never pass --disable-features or --enable-features, which replace Playwright's own.
CHROMIUM_ARGS = [
    "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--no-proxy-server",
]
LOOPBACK = ("127.0.0.1", "::1", "[::1]", "localhost")
DNS_EVENTS = ("HOST_RESOLVER_DNS_TASK", "HOST_RESOLVER_SYSTEM_TASK", "DNS_TRANSACTION")


def audit_netlog(path: Path) -> list[str]:
    """DNS lookups, UDP bytes sent and TCP connections to addresses other than loopback in a Chromium net log.

    A UDP "connect" without bytes is allowed: Chromium's IPv6 reachability probe makes one and sends nothing.
    """
    log = json.loads(path.read_text(encoding="utf-8"))
    types = log["constants"]["logEventTypes"]
    names = {number: name for name, number in types.items()}
    # A renamed event type would make the audit pass without looking, so its absence is a problem too.
    problems = [f"the net log has no event type {name}; update audit_netlog for this Chromium"
                for name in DNS_EVENTS + ("UDP_BYTES_SENT", "TCP_CONNECT_ATTEMPT") if name not in types]
    for event in log.get("events", []):
        kind = names.get(event.get("type"), "")
        params = event.get("params") or {}
        if kind in DNS_EVENTS:
            problems.append(f"DNS lookup: {json.dumps(params)[:200]}")
        elif kind == "UDP_BYTES_SENT":
            problems.append(f"UDP bytes sent: {json.dumps(params)[:200]}")
        elif kind == "TCP_CONNECT_ATTEMPT" and "address" in params:
            # Only the event that begins an attempt names the address; the one that ends it does not.
            if not str(params["address"]).startswith(tuple(f"{host}:" for host in LOOPBACK)):
                problems.append(f"TCP connect to {params['address']}")
    return problems


@dataclass
class SiteServer:
    """An HTTP server on 127.0.0.1 in a thread, serving one folder at a URL prefix, logging (path, status)."""

    url: str  # base URL of the site, ending in "/"
    prefix: str
    requests: list[tuple[str, int]] = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None

    def problems(self) -> list[str]:
        return [f"{path} -> {status}" for path, status in self.requests
                if not path.startswith(self.prefix) or status not in (200, 304)]


def serve(folder: Path, prefix: str) -> SiteServer:
    """Serve `folder` on 127.0.0.1 at a port the system picks, in a daemon thread; `prefix` is the site's path."""
    log: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            log.append((self.path, int(code) if str(code).isdigit() else 0))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    return SiteServer(f"http://127.0.0.1:{port}{prefix}", prefix, log, server)


def stop(server: SiteServer) -> None:
    """Shut the server down, then fail if any request left the prefix or did not succeed."""
    assert server.server is not None
    server.server.shutdown()
    server.server.server_close()
    problems = server.problems()
    assert not problems, "requests outside the site or failed:\n" + "\n".join(problems)


@dataclass
class Guard:
    """What a page did: requests made, blocked, failed, and script and console errors."""

    prefix: str | None = None  # requests must start with this; None blocks everything but about: and data:
    requested: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def allows(self, url: str) -> bool:
        if url.startswith(("about:", "data:")):
            return True
        return self.prefix is not None and url.startswith(self.prefix)

    def handle(self, route: Any) -> None:
        url = route.request.url
        self.requested.append(url)
        if self.allows(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def problems(self) -> list[str]:
        return ([f"blocked request: {url}" for url in self.blocked]
                + [f"HTTP error: {entry}" for entry in self.bad_responses]
                + [f"script error: {message}" for message in self.page_errors]
                + [f"console error: {message}" for message in self.console_errors])


def open_context(browser: Any, guard: Guard, **options: Any) -> tuple[Any, Any]:
    """A new context and page with the guard's route and listeners attached."""
    context = browser.new_context(viewport=VIEWPORT, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", guard.handle)
    page = context.new_page()
    page.on("pageerror", lambda error: guard.page_errors.append(str(error)))
    page.on("console", lambda message: guard.console_errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: guard.bad_responses.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return context, page


def open_path(page: Any, site_url: str, path: str = "index.html") -> Any:
    """Open a path of the site (relative, as "search/index.html" or "search/#q=x") and return the response."""
    return page.goto(site_url + path)
