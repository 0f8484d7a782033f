// The browser's side of the tokenizer parity test (tests/test_search_index.py).
//
// Usage: node tests/node/tokens.js INPUT.json OUTPUT.json
// INPUT contains {"pipeline": [labels of the index's search pipeline], "texts": [strings]}. For each
// text OUTPUT gets the [term, isStopWord] pairs that the search page makes of it: assets/search.js
// folds, splits and trims, lunr.js's stop-word filter flags, and the index's search pipeline stems.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const lunr = require(path.join(ROOT, "assets", "vendor", "lunr", "lunr.min.js"));
const search = require(path.join(ROOT, "assets", "search.js"));

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const pipeline = lunr.Pipeline.load(input.pipeline);
const output = input.texts.map((text) => search.words(text).map((word) => {
  const stopWord = lunr.stopWordFilter(new lunr.Token(word)) === undefined;
  return [pipeline.runString(word)[0], stopWord];
}));
fs.writeFileSync(process.argv[3], JSON.stringify(output));
