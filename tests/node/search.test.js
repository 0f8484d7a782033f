// Search through the real lunr.js on the generated index: exact results, in order, for a table of queries.
//
// Run with `node --test tests/node/`. tests/test_search_node.py runs it from pytest and passes built
// sites in SHELFMARK_SITE (the shipped content) and SHELFMARK_NAMES_SITE (tests/node/fixtures/names);
// without them this file builds both with the project's Python.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { describe, it, before } = require("node:test");

const { lunr, search, siteFolder, readSearchData, loadSearcher, thesisId } = require("./site.js");

const SHIPPED = [
  // words: every word required, ranked by lunr's score
  ["reliability", ["moradi-2021-systematic-integration-of-phm", "kattakinda-2024-understanding-and-improving-reliability",
                   "weiner-2024-a-framework-for-remaining", "frazier-2021-wavefront-shaping-in-a",
                   "seneviratne-2022-generalizable-depression-detection-and"]],
  ["wavefront metasurface", ["frazier-2021-wavefront-shaping-in-a"]],
  ["depression speech", ["seneviratne-2022-generalizable-depression-detection-and"]],
  ["bayesian network", ["weiner-2024-a-framework-for-remaining"]],
  ["deep learning", ["zhou-2020-deep-learning-for-forensics", "mattingly-2023-deep-learning-ensembles-for",
                     "kavalerov-2020-impact-of-semantics-physics", "kattakinda-2024-understanding-and-improving-reliability",
                     "frazier-2021-wavefront-shaping-in-a", "ding-2020-facial-expression-recognition-and",
                     "weiner-2024-a-framework-for-remaining", "seneviratne-2022-generalizable-depression-detection-and"]],
  ["forensics reliability", []],
  // stemming: "plays" and "play" meet at "play" only with lunr.js's step 1c
  ["plays", ["weiner-2024-a-framework-for-remaining", "seneviratne-2022-generalizable-depression-detection-and"]],
  ["play", ["weiner-2024-a-framework-for-remaining", "seneviratne-2022-generalizable-depression-detection-and"]],
  // prefixes: the last word, from two letters
  ["learn", ["kavalerov-2020-impact-of-semantics-physics", "zhou-2020-deep-learning-for-forensics",
             "mattingly-2023-deep-learning-ensembles-for", "kattakinda-2024-understanding-and-improving-reliability",
             "ding-2020-facial-expression-recognition-and", "frazier-2021-wavefront-shaping-in-a",
             "weiner-2024-a-framework-for-remaining", "devaraj-2024-from-parts-to-whole",
             "seneviratne-2022-generalizable-depression-detection-and"]],
  ["wavefr", ["frazier-2021-wavefront-shaping-in-a"]],
  ["metasurf", ["frazier-2021-wavefront-shaping-in-a"]],
  ["forensics chellap", []],
  ["facial chellap", ["ding-2020-facial-expression-recognition-and"]],
  ["metasurf ", []],
  // typos: one edit, words of five letters or more, only when the exact words find nothing
  ["reliabilty", ["moradi-2021-systematic-integration-of-phm", "kattakinda-2024-understanding-and-improving-reliability",
                  "weiner-2024-a-framework-for-remaining", "frazier-2021-wavefront-shaping-in-a",
                  "seneviratne-2022-generalizable-depression-detection-and"]],
  ["wavefrotn", ["frazier-2021-wavefront-shaping-in-a"]],
  ["forensic chelappa", []],
  ["facial chelappa", ["ding-2020-facial-expression-recognition-and"]],
  ["xyzzyq", []],
  // field queries
  ["groth", ["moradi-2021-systematic-integration-of-phm", "weiner-2024-a-framework-for-remaining"]],
  ["advisor:groth", ["moradi-2021-systematic-integration-of-phm", "weiner-2024-a-framework-for-remaining"]],
  ["author:groth", []],
  ["author:zhou", ["zhou-2020-deep-learning-for-forensics"]],
  // the example of the search page's help text
  ["author:weiner", ["weiner-2024-a-framework-for-remaining"]],
  ["title:forensics", ["zhou-2020-deep-learning-for-forensics"]],
  ["department:mechanical", ["moradi-2021-systematic-integration-of-phm"]],
  ["year:2021", ["moradi-2021-systematic-integration-of-phm", "frazier-2021-wavefront-shaping-in-a"]],
  ["2020", ["zhou-2020-deep-learning-for-forensics", "ding-2020-facial-expression-recognition-and",
            "kavalerov-2020-impact-of-semantics-physics"]],
  ["Advisor:Chellappa year:2020", ["ding-2020-facial-expression-recognition-and",
                                   "kavalerov-2020-impact-of-semantics-physics"]],
  // phrases: the words in a row, in one field value
  ["\"deep learning\"", ["zhou-2020-deep-learning-for-forensics", "mattingly-2023-deep-learning-ensembles-for",
                         "kavalerov-2020-impact-of-semantics-physics",
                         "kattakinda-2024-understanding-and-improving-reliability", "frazier-2021-wavefront-shaping-in-a",
                         "weiner-2024-a-framework-for-remaining",
                         "seneviratne-2022-generalizable-depression-detection-and"]],
  ["\"learning deep\"", []],
  ["title:\"deep learning\"", ["zhou-2020-deep-learning-for-forensics", "mattingly-2023-deep-learning-ensembles-for",
                               "kavalerov-2020-impact-of-semantics-physics",
                               "kattakinda-2024-understanding-and-improving-reliability"]],
  ["\u201cbayesian network\u201d", ["weiner-2024-a-framework-for-remaining"]],
  ["\"remaining useful life\"", ["weiner-2024-a-framework-for-remaining"]],
  // accents folded in the query
  ["Díng", ["ding-2020-facial-expression-recognition-and"]],
  ["Rámin Morädi", ["moradi-2021-systematic-integration-of-phm"]],
  ["FÁCIAL", ["ding-2020-facial-expression-recognition-and"]],
  // names: hyphenated ones by either part and by the whole
  ["Espy-Wilson", ["seneviratne-2022-generalizable-depression-detection-and"]],
  ["espy", ["seneviratne-2022-generalizable-depression-detection-and"]],
  ["wilson", ["seneviratne-2022-generalizable-depression-detection-and"]],
  ["wilson espy", ["seneviratne-2022-generalizable-depression-detection-and"]],
  ["Chellappa, Rama", ["ding-2020-facial-expression-recognition-and", "kavalerov-2020-impact-of-semantics-physics"]],
  // words split at hyphens and other separators
  ["C-MAPSS", ["weiner-2024-a-framework-for-remaining"]],
  ["mapss", ["weiner-2024-a-framework-for-remaining"]],
];

const NAMES = [
  // people named like stop words are found in the people fields
  ["may", ["long-2018-long-range-wireless-power", "may-2019-the-will-to-learn"]],
  ["author:may", ["may-2019-the-will-to-learn"]],
  ["advisor:may", ["long-2018-long-range-wireless-power"]],
  ["will", ["obrien-2020-a-survey-of-sensor-networks", "may-2019-the-will-to-learn", "nguyen-2023-deep-learning-for-flood"]],
  ["will flood", ["nguyen-2023-deep-learning-for-flood", "obrien-2020-a-survey-of-sensor-networks"]],
  ["the will", ["obrien-2020-a-survey-of-sensor-networks", "may-2019-the-will-to-learn", "nguyen-2023-deep-learning-for-flood"]],
  ["author:long", ["long-2018-long-range-wireless-power"]],
  ["advisor:long", ["muller-2021-etude-de-la-reflexion", "nguyen-2023-deep-learning-for-flood",
                    "ortiz-ramirez-2022-sparse-coding-for-radar"]],
  // a stop word that no name contains is left out when nothing else matches
  ["flood may ", ["nguyen-2023-deep-learning-for-flood", "obrien-2020-a-survey-of-sensor-networks"]],
  // accents folded in the text and in the query
  ["jose muller", ["muller-2021-etude-de-la-reflexion"]],
  ["José Müller", ["muller-2021-etude-de-la-reflexion"]],
  ["etude", ["muller-2021-etude-de-la-reflexion"]],
  ["réflexion", ["muller-2021-etude-de-la-reflexion"]],
  ["orsted zurich", ["muller-2021-etude-de-la-reflexion"]],
  ["Nguyễn", ["nguyen-2023-deep-learning-for-flood"]],
  ["nguyen thi", ["nguyen-2023-deep-learning-for-flood"]],
  // hyphens and apostrophes in names
  ["Ortiz-Ramírez", ["ortiz-ramirez-2022-sparse-coding-for-radar"]],
  ["ramirez", ["ortiz-ramirez-2022-sparse-coding-for-radar"]],
  ["o'brien", ["riley-2023-keys-and-locks-in", "obrien-2020-a-survey-of-sensor-networks",
               "ortiz-ramirez-2022-sparse-coding-for-radar"]],
  ["obrien", ["riley-2023-keys-and-locks-in", "obrien-2020-a-survey-of-sensor-networks",
              "ortiz-ramirez-2022-sparse-coding-for-radar"]],
  ["O\u2019Brien", ["riley-2023-keys-and-locks-in", "obrien-2020-a-survey-of-sensor-networks",
                    "ortiz-ramirez-2022-sparse-coding-for-radar"]],
  ["model's", ["nguyen-2023-deep-learning-for-flood", "may-2019-the-will-to-learn"]],
  // a final "y" after a vowel: lunr.py alone would index "survei", "kei", "deploi"
  ["survey", ["may-2019-the-will-to-learn", "obrien-2020-a-survey-of-sensor-networks"]],
  ["key", ["riley-2023-keys-and-locks-in", "may-2019-the-will-to-learn"]],
  ["deploy", ["may-2019-the-will-to-learn", "obrien-2020-a-survey-of-sensor-networks", "riley-2023-keys-and-locks-in"]],
  ["riley murray", ["riley-2023-keys-and-locks-in"]],
  // phrases check stop words too
  ["\"state of the art\"", ["ortiz-ramirez-2022-sparse-coding-for-radar"]],
  ["\"state of art\"", []],
  ["subject:surveys", ["may-2019-the-will-to-learn"]],
];

// Inputs a person may type; each must end in results or a message, never an exception.
const AWKWARD = [
  "", " ", "C++", "foo:", "-", "^2", "+", "*", "~", ":", "\"", "\"\"", "'", "author:", "title:\"", "a:b:c",
  "deep~1", "learn*", "+deep -learning", "deep^10", "field:deep", "\\", "(", "[]", "{}", "<script>", "&amp;",
  "\u{1F600}", "\u05e9\u05dc\u05d5\u05dd", "\u202edeep", "\u0000", "year:", "year:20", "\"deep", "deep\"",
  "x".repeat(2000), "deep ".repeat(400), "\u00e9".repeat(300),
];

let shippedSite;
let shipped;
let names;

before(() => {
  shippedSite = siteFolder("SHELFMARK_SITE", "content");
  shipped = loadSearcher(shippedSite, 10);
  names = loadSearcher(siteFolder("SHELFMARK_NAMES_SITE", path.join("tests", "node", "fixtures", "names")), 3);
});

function ids(searcher, query, filters, page) {
  const outcome = searcher.search(query, filters || {}, page || 1);
  assert.doesNotMatch(outcome.message, /could not run/, `query ${JSON.stringify(query)}`);
  return outcome.results.map((ref) => thesisId(searcher, ref));
}

describe("shipped content", () => {
  for (const [query, expected] of SHIPPED) {
    it(`finds ${JSON.stringify(query)}`, () => {
      assert.deepEqual(ids(shipped, query), expected);
    });
  }
});

describe("names collection", () => {
  for (const [query, expected] of NAMES) {
    it(`finds ${JSON.stringify(query)}`, () => {
      assert.deepEqual(allPages(names, query), expected);
    });
  }
});

// Results of every page, for the names collection's page size of 3.
function allPages(searcher, query, filters) {
  const first = searcher.search(query, filters || {}, 1);
  let found = first.results;
  for (let page = 2; page <= first.pageCount; page++) {
    found = found.concat(searcher.search(query, filters || {}, page).results);
  }
  return found.map((ref) => thesisId(searcher, ref));
}

describe("awkward input", () => {
  for (const query of AWKWARD) {
    it(`answers ${JSON.stringify(query.length > 40 ? query.slice(0, 20) + "…" : query)}`, () => {
      const outcome = shipped.search(query, {}, 1);
      assert.doesNotMatch(outcome.message, /could not run/);
      assert.ok(outcome.results.length > 0 || outcome.message.length > 0,
                `neither results nor a message for ${JSON.stringify(query)}`);
    });
  }
});

describe("messages", () => {
  it("explains an empty query", () => {
    assert.match(shipped.search("", {}, 1).message, /Type a word/);
  });

  it("explains a query of common words", () => {
    assert.match(shipped.search("the of ", {}, 1).message, /common words/);
  });

  it("names the phrase that no thesis contains", () => {
    assert.equal(shipped.search("\"learning deep\"", {}, 1).message, "No thesis contains the exact phrase \u201clearning deep\u201d.");
  });

  it("says which word allowed a typo", () => {
    assert.match(shipped.search("reliabilty", {}, 1).notice, /one wrong letter in: reliabilty/);
  });

  it("does not allow typos when the exact words match", () => {
    assert.equal(shipped.search("reliability", {}, 1).notice, "");
  });

  it("says when words were left out", () => {
    assert.match(shipped.search("x ".repeat(30) + "deep", {}, 1).notice, /first 20 words/);
  });
});

describe("filters and paging", () => {
  it("filters by year", () => {
    assert.deepEqual(ids(shipped, "deep learning", { year: "2020" }), [
      "zhou-2020-deep-learning-for-forensics", "kavalerov-2020-impact-of-semantics-physics",
      "ding-2020-facial-expression-recognition-and"]);
  });

  it("filters by advisor and department together", () => {
    assert.deepEqual(ids(shipped, "learning", { advisor: "Chellappa, Rama", department: "Electrical Engineering" }), [
      "kavalerov-2020-impact-of-semantics-physics", "ding-2020-facial-expression-recognition-and"]);
  });

  it("counts each facet over the other facets' filters", () => {
    const outcome = shipped.search("deep learning", { year: "2020" }, 1);
    assert.deepEqual(outcome.facets.year, [["2024", 2], ["2023", 1], ["2022", 1], ["2021", 1], ["2020", 3]]);
    assert.deepEqual(outcome.facets.department, [["Electrical Engineering", 3]]);
    assert.deepEqual(outcome.facets.advisor, [["Chellappa, Rama", 2], ["Czaja, Wojciech", 1], ["Davis, Larry", 1]]);
  });

  it("shows every thesis for a filter without words", () => {
    assert.deepEqual(ids(shipped, "", { department: "Mechanical Engineering" }), ["moradi-2021-systematic-integration-of-phm"]);
  });

  it("pages results by the page size", () => {
    const first = names.search("department:engineering", {}, 1);
    assert.equal(first.total, 5);
    assert.equal(first.pageCount, 2);
    assert.deepEqual(first.results.map((ref) => thesisId(names, ref)), [
      "nguyen-2023-deep-learning-for-flood", "ortiz-ramirez-2022-sparse-coding-for-radar",
      "muller-2021-etude-de-la-reflexion"]);
    const second = names.search("department:engineering", {}, 2);
    assert.deepEqual(second.results.map((ref) => thesisId(names, ref)), [
      "obrien-2020-a-survey-of-sensor-networks", "long-2018-long-range-wireless-power"]);
  });

  it("keeps a page number past the end on the last page", () => {
    assert.equal(names.search("department:engineering", {}, 9).page, 2);
  });
});

describe("snippets", () => {
  it("marks the matched words of the abstract", () => {
    const outcome = shipped.search("bayesian", {}, 1);
    const segments = shipped.snippet(shipped.documents[outcome.results[0]].abstract, outcome.groups);
    assert.deepEqual(segments.filter((segment) => segment.mark).map((segment) => segment.text), ["Bayesian"]);
    assert.match(segments[0].text, /^… /);
  });

  it("marks a prefix being typed", () => {
    const outcome = shipped.search("bayes", {}, 1);
    const segments = shipped.snippet(shipped.documents[outcome.results[0]].abstract, outcome.groups);
    assert.ok(segments.some((segment) => segment.mark && segment.text === "Bayesian"));
  });

  it("starts at the beginning when only the title matched", () => {
    const outcome = shipped.search("title:forensics", {}, 1);
    const abstract = shipped.documents[outcome.results[0]].abstract;
    const segments = shipped.snippet(abstract, outcome.groups);
    assert.ok(abstract.startsWith(segments[0].text.replace(/ …$/, "")));
  });
});

describe("index file", () => {
  it("expands to lunr.py's own serialisation", { skip: !process.env.SHELFMARK_LUNR_JSON && "SHELFMARK_LUNR_JSON not set" }, () => {
    const expected = JSON.parse(fs.readFileSync(process.env.SHELFMARK_LUNR_JSON, "utf8"));
    const data = readSearchData(shippedSite);
    assert.deepEqual(JSON.parse(JSON.stringify(search.expandIndex(data.index))), expected);
  });

  it("loads without a version warning", () => {
    const warnings = [];
    const original = console.warn;
    console.warn = (message) => warnings.push(message);
    try {
      lunr.Index.load(search.expandIndex(readSearchData(shippedSite).index));
    } finally {
      console.warn = original;
    }
    assert.deepEqual(warnings, []);
  });
});

describe("URL fragment", () => {
  it("round-trips the state", () => {
    const state = { q: "deep \"learning\" & more", year: "2020", department: "Electrical Engineering",
                    advisor: "Chellappa, Rama", page: 2 };
    assert.deepEqual(search.readState("#" + search.writeState(state)), state);
  });

  it("reads a missing or bad page as 1", () => {
    assert.equal(search.readState("#q=x&page=abc").page, 1);
    assert.equal(search.readState("").page, 1);
  });
});
