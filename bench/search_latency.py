"""Time search queries in Chromium on a large generated collection, typed letter by letter.

    python bench/search_latency.py --size 10000 --queries 200

The collection comes from bench/generate.py (cached in bench-out/, as bench/run.py makes it) and
is built with the offline profile into bench-out/search-site/, unless --site names a built site.
The search page is opened from disk (file://) in Debian's Chromium, headless, through
Playwright. A fresh Searcher on that page then gets every state of each query as a user types it:
"m", "mo", "mod", ..., "model", "model ", "model i", and so on. Each state is timed from the call
of Searcher.run to its outcome, shards loaded as needed, so a state that needs new shards
includes their loading. A second pass runs the same states again with every shard they need
loaded.

Queries are one or two words drawn from random abstracts (seeded). The first state of the
session, which loads the core, is left out: these are the later queries. The table gives the
median, the 90th percentile and the share under 50 ms per kind of state; --json writes every
timing.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_support import CHROMIUM_ARGS  # noqa: E402
from run import ensure_corpus  # noqa: E402
from shelfmark.builder import BuildOptions, build_site  # noqa: E402
from shelfmark.collection import load_collection  # noqa: E402

BENCH_OUT = ROOT / "bench-out"
WORD = re.compile(r"[a-z]{3,}")
TARGET_MS = 50.0

# Runs in the page: a fresh Searcher, each state in turn, twice; returns milliseconds per state and pass.
TIME_STATES = """
async (states) => {
  const api = window.shelfmarkSearch;
  const list = document.getElementById("search-results");
  const root = list.getAttribute("data-site-root") || "";
  const searcher = new api.Searcher(window.lunr, window.shelfmarkSearchData,
                                    { pageSize: 10, load: api.scriptLoader(document, root + "assets/search/") });
  const run = (input) => new Promise((resolve) => {
    const started = performance.now();
    searcher.run(input, {}, 1, (outcome) => resolve([performance.now() - started, outcome.total, outcome.message]));
  });
  const passes = [];
  for (let pass = 0; pass < 2; pass++) {
    const timings = [];
    for (const state of states) {
      timings.push(await run(state));
    }
    passes.push(timings);
  }
  return passes;
}
"""


def draw_queries(content: Path, count: int, seed: int) -> list[str]:
    """Draw queries of one or two words (of 3+ letters) in a row from random abstracts."""
    collection = load_collection(content)
    rng = random.Random(seed)
    abstracts = [thesis.data.get("abstract") or "" for thesis in collection.theses]
    queries: list[str] = []
    while len(queries) < count:
        words = WORD.findall(rng.choice(abstracts).lower())
        if len(words) < 2:
            continue
        start = rng.randrange(len(words) - 1)
        queries.append(" ".join(words[start:start + (1 if rng.random() < 0.7 else 2)]))
    return queries


def typed_states(query: str) -> list[str]:
    """Return what the search box contains after each key: every prefix of the query, then the query and a space."""
    return [query[:end] for end in range(1, len(query) + 1)] + [query + " "]


def kind_of(state: str) -> str:
    if state.endswith(" "):
        return "words finished with a space"
    last = state.split(" ")[-1]
    if len(last) == 1:
        return "last word of 1 letter (whole word)"
    if len(last) == 2:
        return "prefix of 2 letters"
    return "word or prefix of 3 or more letters"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(states: list[str], passes: list[list[list]]) -> str:
    later = range(1, len(states))  # the first state loads the core: not a later query
    rows = ["| later query | states | median | 90th percentile | under 50 ms |", "| --- | ---: | ---: | ---: | ---: |"]
    kinds = ["prefix of 2 letters", "word or prefix of 3 or more letters", "words finished with a space",
             "last word of 1 letter (whole word)"]
    for label, timings in (("shards loaded as needed", passes[0]), ("shards already loaded", passes[1])):
        groups = [("any, " + label, [timings[k][0] for k in later])]
        if label.startswith("shards loaded as needed"):
            groups += [(f"{kind}, {label}", [timings[k][0] for k in later if kind_of(states[k]) == kind]) for kind in kinds]
        for name, values in groups:
            if not values:
                continue
            under = sum(1 for value in values if value < TARGET_MS) / len(values)
            rows.append(f"| {name} | {len(values)} | {statistics.median(values):.0f} ms | {percentile(values, 0.9):.0f} ms "
                        f"| {under:.0%} |")
    return "\n".join(rows)


def chromium_version(path: str) -> str:
    import subprocess
    return subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="theses in the generated collection (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the collection and of the queries (default 1)")
    parser.add_argument("--queries", type=int, default=200, help="queries to type (default 200)")
    parser.add_argument("--site", type=Path, help="a site already built from the same collection, any profile")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--json", type=Path, help="write every state and timing here")
    args = parser.parse_args(argv)

    corpus, _ = ensure_corpus(args.size, args.seed, 20, BENCH_OUT)
    site = args.site
    if site is None:
        site = BENCH_OUT / "search-site" / f"site-{args.size}"
        if not (site / "search" / "index.html").exists():
            print(f"building {site} from {corpus} ...", file=sys.stderr)
            build_site(BuildOptions(content=corpus, out=site, profile="offline"))
    queries = draw_queries(corpus, args.queries, args.seed)
    states = [state for query in queries for state in typed_states(query)]

    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
        page.goto((site.resolve() / "search" / "index.html").as_uri())
        page.wait_for_function("window.shelfmarkSearch && window.shelfmarkSearchData")
        started = time.perf_counter()
        passes = page.evaluate(TIME_STATES, states)
        seconds = time.perf_counter() - started
        browser.close()

    print(f"{len(queries)} queries, {len(states)} states, {args.size:,} theses, {chromium_version(args.chromium)}, "
          f"{seconds:.0f} s")
    print(table(states, passes))
    if args.json:
        args.json.write_text(json.dumps({"states": states, "passes": passes}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
