// The sharded index against the whole index: the same results, in the same order, with the same scores.
//
// Run with `node --test tests/node/`. tests/test_search_node.py runs it from pytest and passes in
// SHELFMARK_SHARD_SITES a folder that tests/test_search_corpus.py wrote: whole/ (one generated
// collection in one index file), sharded/ (the same collection in shards, as the build writes
// them with search.shard_threshold at 100), small/ (in shards cut small, so that queries cross
// many shard boundaries) and queries.json (a table of queries of every kind, drawn from the
// collection). Without the variable this file runs that script itself.
"use strict";

const assert = require("node:assert/strict");
const childProcess = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const { describe, it, before } = require("node:test");

const { ROOT, lunr, search, python } = require("./site.js");

let folder;
let table;
let whole;

function sitesFolder() {
  if (process.env.SHELFMARK_SHARD_SITES) {
    return process.env.SHELFMARK_SHARD_SITES;
  }
  const made = fs.mkdtempSync(path.join(os.tmpdir(), "shelfmark-shards-"));
  process.on("exit", () => fs.rmSync(made, { recursive: true, force: true }));
  childProcess.execFileSync(python(), [path.join("tests", "test_search_corpus.py"), "--out", made],
                            { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return made;
}

// Run a script that sets or hands over search data, and return what it set: {global, shards}.
function runScript(file) {
  const shards = {};
  const sandbox = { window: { shelfmarkSearch: { addShard: (name, data) => { shards[name] = data; } } } };
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(file, "utf8"), sandbox);
  // A copy through JSON gives objects of this realm, which assert.deepStrictEqual compares by prototype.
  return JSON.parse(JSON.stringify({ global: sandbox.window.shelfmarkSearchData || null, shards }));
}

// A loader that reads shard files from disk at once and records what it loaded.
function diskLoader(base, log) {
  return (names, done) => {
    const received = {};
    for (const name of names) {
      log.push(name);
      const file = path.join(base, `${name}.js`);
      if (fs.existsSync(file)) {
        Object.assign(received, runScript(file).shards);
      }
    }
    done(null, received);
  };
}

function shardedSearcher(pageSize, log, variant) {
  const base = path.join(folder, variant || "small", "assets", "search");
  const core = runScript(path.join(base, "index.js")).global;
  return new search.Searcher(lunr, core, { pageSize: pageSize || 10, load: diskLoader(base, log || []) });
}

// What a search shows and counts, for comparing the two indexes.
function summary(outcome, searcher) {
  return {
    ids: (outcome.refs || []).map((ref) => ref),
    scores: outcome.scores || [],
    results: outcome.results,
    titles: outcome.results.map((ref) => searcher.document(ref).title),
    total: outcome.total,
    pageCount: outcome.pageCount,
    facets: outcome.facets,
    message: outcome.message,
    notice: outcome.notice,
  };
}

// Run a query on the sharded searcher, loading shards on the way (the disk loader calls back at once).
function runSharded(searcher, query, filters, page) {
  let outcome = null;
  searcher.run(query, filters || {}, page || 1, (result) => { outcome = result; });
  assert.ok(outcome, `no answer for ${JSON.stringify(query)}`);
  assert.equal(outcome.missing, undefined);
  return outcome;
}

before(() => {
  folder = sitesFolder();
  table = JSON.parse(fs.readFileSync(path.join(folder, "queries.json"), "utf8"));
  const data = runScript(path.join(folder, "whole", "assets", "search", "index.js")).global;
  whole = new search.Searcher(lunr, data, { pageSize: 10 });
});

describe("sharded index equals the whole index", () => {
  it("has a table of at least 100 queries of every kind", () => {
    assert.ok(table.length >= 100, `${table.length} queries`);
    const kinds = new Set(table.map((entry) => entry.kind));
    for (const kind of ["word", "prefix", "typo", "author", "advisor", "title", "department", "year",
                        "several words", "phrase", "accents and names", "accented words"]) {
      assert.ok(kinds.has(kind), kind);
    }
  });

  it("gives the same results, order, scores, facets and messages for every query", () => {
    const found = {};
    for (const variant of ["sharded", "small"]) {
      const sharded = shardedSearcher(10, [], variant);
      for (const { kind, query } of table) {
        const expected = summary(whole.search(query, {}, 1), whole);
        const actual = summary(runSharded(sharded, query, {}, 1), sharded);
        assert.deepStrictEqual(actual, expected, `${variant}, ${kind}: ${JSON.stringify(query)}`);
        if (variant === "small" && expected.total > 0) {
          found[kind] = (found[kind] || 0) + 1;
        }
      }
    }
    // The table is only worth something if most kinds of queries find theses.
    for (const kind of ["word", "prefix", "typo", "author", "advisor", "title", "department", "year", "phrase",
                        "accents and names", "accented words", "names like stop words"]) {
      assert.ok(found[kind] >= 2, `only ${found[kind] || 0} "${kind}" queries found something`);
    }
  });

  it("gives the same second pages and filtered results", () => {
    const sharded = shardedSearcher(10);
    for (const { kind, query } of table.slice(0, 60)) {
      const first = whole.search(query, {}, 1);
      if (!first.results.length) {
        continue;
      }
      const top = whole.document(first.results[0]);
      const filters = [{}, { year: top.year || "" }, { department: top.department || "" },
                       { advisor: (top.advisors || [""])[0] }, { year: top.year || "", department: top.department || "" }];
      for (const filter of filters) {
        for (const page of [1, 2]) {
          const expected = summary(whole.search(query, filter, page), whole);
          const actual = summary(runSharded(sharded, query, filter, page), sharded);
          assert.deepStrictEqual(actual, expected, `${kind}: ${JSON.stringify(query)} ${JSON.stringify(filter)} page ${page}`);
        }
      }
    }
  });

  it("shows every thesis for a filter without words", () => {
    const sharded = shardedSearcher(10);
    const department = whole.document(0).department;
    for (const page of [1, 7]) {
      const expected = summary(whole.search("", { department }, page), whole);
      assert.deepStrictEqual(summary(runSharded(sharded, "", { department }, page), sharded), expected);
    }
  });

  it("gives the same snippets", () => {
    const sharded = shardedSearcher(10);
    for (const { query } of table.filter((entry) => entry.kind === "word" || entry.kind === "prefix")) {
      const expected = whole.search(query, {}, 1);
      const actual = runSharded(sharded, query, {}, 1);
      for (const ref of expected.results) {
        assert.deepStrictEqual(sharded.snippet(sharded.document(ref).abstract, actual.groups),
                               whole.snippet(whole.document(ref).abstract, expected.groups));
      }
    }
  });
});

describe("what a query loads", () => {
  it("loads one term shard for a finished word", () => {
    for (const { query } of table.filter((entry) => entry.kind === "word, typing done")) {
      const log = [];
      const outcome = runSharded(shardedSearcher(10, log), query, {}, 1);
      const terms = log.filter((name) => name.startsWith("terms-"));
      const docs = log.filter((name) => name.startsWith("docs-"));
      assert.equal(terms.length, 1, `${query}: ${log}`);
      assert.ok(docs.length <= outcome.results.length, `${query}: ${log}`);
      assert.ok(!log.includes("lexicon"), `${query}: ${log}`);
    }
  });

  it("loads the lexicon only for typo corrections", () => {
    for (const { kind, query } of table) {
      const log = [];
      const outcome = runSharded(shardedSearcher(10, log), query, {}, 1);
      if (log.includes("lexicon")) {
        assert.ok(outcome.total === 0 || /one wrong letter/.test(outcome.notice), `${kind}: ${JSON.stringify(query)}`);
      }
    }
  });

  it("loads each shard once", () => {
    const log = [];
    const sharded = shardedSearcher(10, log);
    for (const { query } of table) {
      runSharded(sharded, query, {}, 1);
    }
    assert.equal(new Set(log).size, log.length);
  });
});

describe("loading", () => {
  it("answers after shards that arrive later", async () => {
    const base = path.join(folder, "small", "assets", "search");
    const core = runScript(path.join(base, "index.js")).global;
    const disk = diskLoader(base, []);
    const later = (names, done) => setTimeout(() => disk(names, done), 1);
    const sharded = new search.Searcher(lunr, core, { pageSize: 10, load: later });
    for (const { query } of table.slice(0, 20)) {
      const outcome = await new Promise((resolve) => sharded.run(query, {}, 1, resolve));
      assert.deepStrictEqual(summary(outcome, sharded), summary(whole.search(query, {}, 1), whole));
    }
  });

  it("says so when a shard does not load", () => {
    const core = runScript(path.join(folder, "small", "assets", "search", "index.js")).global;
    const broken = new search.Searcher(lunr, core, { pageSize: 10, load: (names, done) => done(new Error("gone"), {}) });
    let outcome = null;
    broken.run(table[0].query, {}, 1, (result) => { outcome = result; });
    assert.match(outcome.message, /^Search is not available: gone\./);
    assert.deepEqual(outcome.results, []);
  });

  it("says so when a shard holds something else", () => {
    const core = runScript(path.join(folder, "small", "assets", "search", "index.js")).global;
    const wrong = new search.Searcher(lunr, core, { pageSize: 10,
                                                   load: (names, done) => done(null, Object.fromEntries(names.map((n) => [n, 42]))) });
    let outcome = null;
    wrong.run(table[0].query, {}, 1, (result) => { outcome = result; });
    assert.match(outcome.message, /did not hold what was expected/);
  });

  it("answers with the missing shards when it has no loader", () => {
    const core = runScript(path.join(folder, "small", "assets", "search", "index.js")).global;
    const outcome = new search.Searcher(lunr, core, {}).search(table[0].query, {}, 1);
    assert.ok(outcome.missing.length > 0);
    assert.equal(outcome.message, "");
  });
});
