// Build a lunr.js index from the documents bench/stages.py wrote, and time it.
//
//   node bench/lunr_index.js DOCUMENTS.json LUNR.js
//
// DOCUMENTS.json contains {ref, fields: [{field_name, boost}], documents}. The index uses lunr's
// default pipeline (trimmer, stop-word filter, stemmer), as lunr.lunr() in lunr.py does. The last
// line of output is one JSON object: wall-clock seconds to build and to serialize with
// JSON.stringify, CPU seconds of both, the index size in bytes, and the process's peak resident
// set size in KiB.
"use strict";

const fs = require("fs");
const path = require("path");

const [documentsPath, lunrPath] = process.argv.slice(2);
if (!documentsPath || !lunrPath) {
  console.error("usage: node bench/lunr_index.js DOCUMENTS.json LUNR.js");
  process.exit(2);
}
const lunr = require(path.resolve(lunrPath));
const { ref, fields, documents } = JSON.parse(fs.readFileSync(documentsPath, "utf8"));

const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const index = lunr(function () {
  this.ref(ref);
  for (const field of fields) {
    this.field(field.field_name, { boost: field.boost });
  }
  for (const document of documents) {
    this.add(document);
  }
});
const built = process.hrtime.bigint();
const serialized = JSON.stringify(index);
const finished = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuBefore);

const seconds = (from, to) => Number(to - from) / 1e9;
console.log(JSON.stringify({
  seconds: seconds(started, finished),
  cpu_seconds: (cpu.user + cpu.system) / 1e6,
  build_seconds: seconds(started, built),
  serialize_seconds: seconds(built, finished),
  bytes: Buffer.byteLength(serialized, "utf8"),
  documents: documents.length,
  lunr_version: lunr.version,
  peak_rss_kib: process.resourceUsage().maxRSS,
}));
