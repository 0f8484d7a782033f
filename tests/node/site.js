// Test helper: build (or find) a site and load its search index into the real lunr.js.
"use strict";

const childProcess = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(ROOT, "assets", "vendor", "lunr", "lunr.min.js"));
const search = require(path.join(ROOT, "assets", "search.js"));

// The Python that builds sites: $PYTHON, else the project's virtualenv, else python3.
function python() {
  if (process.env.PYTHON) {
    return process.env.PYTHON;
  }
  const venv = path.join(ROOT, ".venv", "bin", "python");
  return fs.existsSync(venv) ? venv : "python3";
}

// The folder of a built site: from the environment variable, or built now from `content`.
function siteFolder(variable, content) {
  if (process.env[variable]) {
    return process.env[variable];
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "shelfmark-node-"));
  process.on("exit", () => fs.rmSync(folder, { recursive: true, force: true }));
  const out = path.join(folder, "site");
  childProcess.execFileSync(python(), ["build.py", "--content", content, "--out", out, "--quiet"],
                            { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

// The global that assets/search/index.js sets, read by running the script in a sandbox. The copy
// through JSON gives objects of this realm, which assert.deepStrictEqual compares by prototype.
function readSearchData(site) {
  const sandbox = { window: {} };
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(path.join(site, "assets", "search", "index.js"), "utf8"), sandbox);
  return JSON.parse(JSON.stringify(sandbox.window.shelfmarkSearchData));
}

function loadSearcher(site, pageSize) {
  const data = readSearchData(site);
  return new search.Searcher(lunr, data, { pageSize: pageSize || 10 });
}

// The thesis id of a result: the folder of its page ("theses/<id>/").
function thesisId(searcher, ref) {
  return searcher.document(ref).path.split("/")[1];
}

module.exports = { ROOT, lunr, search, python, siteFolder, readSearchData, loadSearcher, thesisId };
