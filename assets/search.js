/*
 * Site search. The index is built with the site (shelfmark/search) and loaded by a <script>
 * element as the global shelfmarkSearchData; lunr.js (assets/vendor/lunr) searches it.
 *
 * That global is either the whole index (format version 1, small collections) or, for large
 * collections, a core (version 2) that lists where the rest is: term shards, display shards and
 * a lexicon, each a script that calls shelfmarkSearch.addShard(name, data). The page loads the
 * shards a query needs by inserting <script> elements and runs the query as lunr's own query
 * would run on the whole index, over the postings of only the terms the query expands to. lunr
 * scores a match by the dot product of the query vector with the document's field vector,
 * divided by the query vector's norm. The vector entries of other terms change nothing, so the
 * results and scores are those of the whole index. The tests check them against lunr.js itself.
 *
 * This is a plain script: no modules, no fetch, no workers, so it works from disk (file://)
 * as well as from a server. The query lives in the URL fragment (#q=...&year=...&page=2), so
 * back and forward restore it. Under Node (the tests) the file exports its functions instead
 * of starting the page.
 *
 * Query semantics (docs/search.md):
 * - every word is required; the last word also matches as a prefix while typing (2+ letters);
 * - when the exact words find nothing, words of 5+ letters that are not in the index may
 *   differ by one edit (a letter added, removed, replaced, or two letters swapped);
 * - author:, advisor:, title:, department:, year:, subject: and abstract: limit a word or a
 *   quoted phrase to one field;
 * - "quoted phrases" require their words, then keep only theses whose text contains the phrase;
 * - accents and case are ignored on both sides;
 * - stop words ("the", "may", "will") count only as names: they are looked up in the author
 *   and advisor fields and ignored when no name there contains them.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.shelfmarkSearch = api;
    if (root.document) {
      api.startPage(root.document, root);
    }
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // --- Text: the twin of shelfmark/search/text.py; tests compare the two over a word list. ---

  // Whitespace as JavaScript's \s has it, hyphens and dashes, minus, and "/*^~:+".
  var WORD = /[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u2010-\u2015\u2212/*^~:+-]+/g;
  var LETTERS = {
    "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe",
    "þ": "th", "ð": "d", "'": "", "\u2018": "", "\u2019": "", "\u02bc": "", "\u2032": ""
  };
  var LETTER_PATTERN = /[øłđħŧıßæœþð'\u2018\u2019\u02bc\u2032]/g;
  var NONSPACING_MARKS = /\p{Mn}+/gu;
  var ASCII = /^[\x00-\x7f]*$/;
  var LEADING = /^[^\p{L}\p{N}]+/u;
  var TRAILING = /[^\p{L}\p{N}]+$/u;

  var PEOPLE_FIELDS = ["authors", "advisors"];
  var FIELD_NAMES = {
    author: "authors", authors: "authors", advisor: "advisors", advisors: "advisors",
    title: "title", department: "department", dept: "department", year: "year",
    subject: "subjects", subjects: "subjects", abstract: "abstract"
  };
  var FACETS = ["year", "department", "advisor"];
  var MAX_WORDS = 20;
  var MAX_TYPO_LENGTH = 30;
  var TYPO_MIN_LENGTH = 5;
  var PREFIX_MIN_LENGTH = 2;
  var ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  // The most loading rounds one query needs is four: its terms, the lexicon, the terms of typo
  // corrections, the theses it shows. More means that a shard lacks what the core points to it for.
  var MAX_ROUNDS = 8;
  // The characters that encode numbers in the lexicon (shelfmark/search/shards.py).
  var CODES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  function fold(text) {
    text = String(text);
    if (ASCII.test(text)) {
      return text.toLowerCase().replace(/'/g, "");
    }
    return text.normalize("NFKD").replace(NONSPACING_MARKS, "").toLowerCase()
      .replace(LETTER_PATTERN, function (letter) { return LETTERS[letter]; });
  }

  function splitWords(text) {
    return fold(text).match(WORD) || [];
  }

  function trim(word) {
    return word.replace(LEADING, "").replace(TRAILING, "");
  }

  // The folded, trimmed words of a text: the input of the stop-word filter and the stemmer.
  function words(text) {
    var result = [];
    splitWords(text).forEach(function (word) {
      var trimmed = trim(word);
      if (trimmed) {
        result.push(trimmed);
      }
    });
    return result;
  }

  // --- The compact index (format in shelfmark/search/index.py) turned into lunr's serialisation. ---

  function expandIndex(compact) {
    var fields = compact.fields;
    var empty = Object.freeze({});
    var postings = compact.terms.map(function (term, number) {
      var posting = { _index: number };
      fields.forEach(function (field) { posting[field] = {}; });
      return posting;
    });
    var fieldVectors = [];
    var documentCount = fields.length ? compact.vectors[fields[0]].length : 0;
    for (var ref = 0; ref < documentCount; ref++) {
      for (var f = 0; f < fields.length; f++) {
        var encoded = compact.vectors[fields[f]][ref];
        if (!encoded || !encoded.length) {
          continue;
        }
        var elements = new Array(encoded.length);
        var index = 0;
        for (var k = 0; k < encoded.length; k += 2) {
          index += encoded[k];
          elements[k] = index;
          elements[k + 1] = encoded[k + 1] / 1000;
          postings[index][fields[f]][ref] = empty;
        }
        fieldVectors.push([fields[f] + "/" + ref, elements]);
      }
    }
    return {
      version: compact.version,
      fields: fields,
      fieldVectors: fieldVectors,
      invertedIndex: compact.terms.map(function (term, number) { return [term, postings[number]]; }),
      pipeline: compact.pipeline
    };
  }

  // --- Where the searcher finds terms, postings and theses. ---

  // Thrown when a query needs shards that are not loaded yet. Searcher.run loads them and tries again.
  function Missing(names) {
    this.names = names;
  }

  // The whole index in one file (format version 1).
  function WholeSource(lunr, data) {
    this.documents = data.documents;
    this.index = lunr.Index.load(expandIndex(data.index));
    this.fields = data.index.fields;
    this.pipeline = data.index.pipeline;
    this.documentCount = data.documents.length;
    this.load = null;
  }

  WholeSource.prototype.hasTerm = function (term, fields) {
    var posting = this.index.invertedIndex[term];
    if (!posting) {
      return false;
    }
    return fields.some(function (field) {
      return posting[field] && Object.keys(posting[field]).length > 0;
    });
  };

  // Whether some term that starts with the prefix is in one of the fields.
  WholeSource.prototype.hasPrefix = function (prefix, fields) {
    var self = this;
    return Object.keys(this.index.invertedIndex).some(function (term) {
      return term.lastIndexOf(prefix, 0) === 0 && self.hasTerm(term, fields);
    });
  };

  // lunr's own query on the whole index; returns [{ref, score}] of the theses satisfying every group.
  WholeSource.prototype.run = function (groups, lunr) {
    var results = this.index.query(function (query) { addClauses(query, groups, lunr, []); });
    return results.filter(function (result) {
      return groups.every(function (group) {
        return !needsCheck(group) || satisfies(group, result.matchData.metadata);
      });
    });
  };

  WholeSource.prototype.document = function (ref) {
    return this.documents[ref];
  };

  WholeSource.prototype.facetValues = function (ref, facet) {
    return facetValues(this.documents[ref], facet);
  };

  WholeSource.prototype.requireDocuments = function () {};
  WholeSource.prototype.requireLexicon = function () {};
  WholeSource.prototype.shardsFor = function () { return []; };

  /*
   * The index in shards (format version 2; shelfmark/search/shards.py describes the files). `core`
   * is the global that index.js sets; `load(names, done)` loads shards and calls done(error,
   * {name: data}).
   */
  function ShardedSource(core, load) {
    this.fields = core.fields;
    this.pipeline = core.pipeline;
    this.documentCount = core.documentCount;
    this.termCount = core.termCount;
    this.termFirsts = core.termShards;
    this.documentFirsts = core.documentShards;
    this.filters = core.filters;
    this.load = load || null;
    this.shards = Object.create(null);
    this.lexicon = null;
    this.partial = { key: null };
    this.decoded = Object.create(null);  // term -> its postings by field number, decoded (TermSet.postings)
  }

  // The name of a shard, such as "terms-0012". The number has at least four digits, and as many as
  // bound - 1 has, bound being the number of terms or documents (shard_name() in shards.py).
  function shardName(kind, number, bound) {
    var digits = String(number);
    var width = Math.max(4, String(bound - 1).length);
    while (digits.length < width) {
      digits = "0" + digits;
    }
    return kind + "-" + digits;
  }

  // The last position whose value is at most `key`, or 0 (values ascend).
  function lastAtMost(values, key) {
    var low = 0;
    var high = values.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (values[middle] <= key) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  // Keep the data of a loaded shard. Return false when the data is not of the kind its name gives.
  ShardedSource.prototype.receive = function (name, data) {
    if (!data || typeof data !== "object") {
      return false;
    }
    if (name === "lexicon") {
      if (typeof data.terms !== "string" || !Array.isArray(data.masks)) {
        return false;
      }
      this.lexicon = decodeLexicon(data, this.fields);
    } else if (name.lastIndexOf("terms-", 0) === 0) {
      if (!Array.isArray(data.terms) || !Array.isArray(data.postings) || data.terms.length !== data.postings.length) {
        return false;
      }
      this.shards[name] = { terms: data.terms, postings: data.postings, lookup: null };
    } else if (name.lastIndexOf("docs-", 0) === 0) {
      if (!Array.isArray(data.documents) || typeof data.first !== "number") {
        return false;
      }
      this.shards[name] = data;
    } else {
      return false;
    }
    return true;
  };

  ShardedSource.prototype.isLoaded = function (name) {
    return name === "lexicon" ? this.lexicon !== null : name in this.shards;
  };

  ShardedSource.prototype.termShardName = function (term) {
    return shardName("terms", lastAtMost(this.termFirsts, term), this.termCount);
  };

  // The names of the term shards that hold the terms starting with `prefix`: one range of them.
  ShardedSource.prototype.prefixShardNames = function (prefix) {
    var first = lastAtMost(this.termFirsts, prefix);
    var last = first;
    while (last + 1 < this.termFirsts.length && this.termFirsts[last + 1].lastIndexOf(prefix, 0) === 0) {
      last += 1;
    }
    var names = [];
    for (var number = first; number <= last; number++) {
      names.push(shardName("terms", number, this.termCount));
    }
    return names;
  };

  function requireAll(source, names) {
    var missing = names.filter(function (name) { return !source.isLoaded(name); });
    if (missing.length) {
      throw new Missing(missing);
    }
  }

  // A term's place in its loaded shard: {shard, position}, or null when the index does not have it.
  ShardedSource.prototype.find = function (term) {
    var name = this.termShardName(term);
    requireAll(this, [name]);
    var shard = this.shards[name];
    if (shard.lookup === null) {
      shard.lookup = Object.create(null);
      for (var position = 0; position < shard.terms.length; position++) {
        shard.lookup[shard.terms[position]] = position;
      }
    }
    var found = shard.lookup[term];
    return found === undefined ? null : { shard: shard, position: found };
  };

  ShardedSource.prototype.fieldMask = function (fields) {
    var mask = 0;
    for (var position = 0; position < this.fields.length; position++) {
      if (fields.indexOf(this.fields[position]) >= 0) {
        mask |= 1 << position;
      }
    }
    return mask;
  };

  // The fields of a term's postings, as bits: [field, count, (document, score) x count, ...].
  function postingsMask(postings) {
    var mask = 0;
    for (var at = 0; at < postings.length; at += 2 + 2 * postings[at + 1]) {
      mask |= 1 << postings[at];
    }
    return mask;
  }

  ShardedSource.prototype.hasTerm = function (term, fields) {
    var wanted = this.fieldMask(fields);
    if (this.lexicon !== null) {
      var mask = this.lexicon.masks[term];
      return mask !== undefined && (mask & wanted) !== 0;
    }
    var found = this.find(term);
    return found !== null && (postingsMask(found.shard.postings[found.position]) & wanted) !== 0;
  };

  // The loaded terms that start with `prefix`, in order, each as {term, postings}.
  ShardedSource.prototype.prefixEntries = function (prefix) {
    var names = this.prefixShardNames(prefix);
    requireAll(this, names);
    var entries = [];
    names.forEach(function (name) {
      var shard = this.shards[name];
      for (var position = lastAtMost(shard.terms, prefix); position < shard.terms.length; position++) {
        var term = shard.terms[position];
        if (term.lastIndexOf(prefix, 0) === 0) {
          entries.push({ term: term, postings: shard.postings[position] });
        } else if (term > prefix) {
          break;
        }
      }
    }, this);
    return entries;
  };

  ShardedSource.prototype.hasPrefix = function (prefix, fields) {
    var wanted = this.fieldMask(fields);
    return this.prefixEntries(prefix).some(function (entry) {
      return (postingsMask(entry.postings) & wanted) !== 0;
    });
  };

  // The term shards that parsing a query reads, so that they load before it runs.
  ShardedSource.prototype.shardsFor = function (items) {
    var names = [];
    var self = this;
    function add(name) {
      if (names.indexOf(name) < 0 && !self.isLoaded(name)) {
        names.push(name);
      }
    }
    items.forEach(function (item) {
      if (item.term) {
        add(self.termShardName(item.term));
      }
      if (item.prefix) {
        self.prefixShardNames(item.word).forEach(add);
      }
    });
    return names;
  };

  // The terms that the groups' alternatives expand to, in the order of the whole index, with their
  // postings: every term of a prefix, the exact terms that exist. Kept for the next keystroke.
  ShardedSource.prototype.termsFor = function (groups) {
    var self = this;
    var names = [];
    groups.forEach(function (group) {
      group.alternatives.forEach(function (alternative) {
        var wanted = alternative.prefix ? self.prefixShardNames(alternative.term) : [self.termShardName(alternative.term)];
        wanted.forEach(function (name) {
          if (names.indexOf(name) < 0) {
            names.push(name);
          }
        });
      });
    });
    requireAll(this, names);
    var byTerm = Object.create(null);
    groups.forEach(function (group) {
      group.alternatives.forEach(function (alternative) {
        if (alternative.prefix) {
          self.prefixEntries(alternative.term).forEach(function (entry) { byTerm[entry.term] = entry.postings; });
        } else {
          var found = self.find(alternative.term);
          if (found !== null) {
            byTerm[alternative.term] = found.shard.postings[found.position];
          }
        }
      });
    });
    var terms = Object.keys(byTerm).sort();
    var key = terms.join("\u0000");
    if (this.partial.key !== key) {
      this.partial = new TermSet(key, terms, byTerm, this.fields.length, this.decoded);
    }
    return this.partial;
  };

  // Some terms of the index: their numbers, in sorted order, and their postings by field. `decoded`
  // keeps postings already decoded, across the queries typed one letter after another.
  function TermSet(key, terms, byTerm, fieldCount, decoded) {
    this.key = key;
    this.terms = terms;
    this.numbers = Object.create(null);
    for (var number = 0; number < terms.length; number++) {
      this.numbers[terms[number]] = number;
    }
    this.encoded = byTerm;
    this.decoded = decoded;
    this.fieldCount = fieldCount;
    this.tokenSet = null;
  }

  // A term's postings as one {documents, weights} per field number, undefined where it is not in that field.
  TermSet.prototype.postings = function (term) {
    var decoded = this.decoded[term];
    if (decoded !== undefined) {
      return decoded;
    }
    var postings = this.encoded[term];
    decoded = new Array(this.fieldCount);
    var at = 0;
    while (at < postings.length) {
      var count = postings[at + 1];
      var documents = new Int32Array(count);
      var weights = new Float64Array(count);
      var document = 0;
      for (var k = 0; k < count; k++) {
        document += postings[at + 2 + 2 * k];
        documents[k] = document;
        // The same double as lunr.Index.load reads from the JSON number that lunr writes.
        weights[k] = postings[at + 3 + 2 * k] / 1000;
      }
      decoded[postings[at]] = { documents: documents, weights: weights };
      at += 2 + 2 * count;
    }
    this.decoded[term] = decoded;
    return decoded;
  };

  // The terms of a lunr query clause, as lunr.Index.prototype.query expands them, in its order.
  TermSet.prototype.expand = function (lunr, clause) {
    if (this.tokenSet === null) {
      this.tokenSet = lunr.TokenSet.fromArray(this.terms);
    }
    return this.tokenSet.intersect(lunr.TokenSet.fromClause(clause)).toArray();
  };

  // Stands for lunr.Set.complete, the set of every thesis. Other sets are one byte per thesis.
  var EVERY = "every";

  function intersection(a, b) {
    if (a === EVERY) {
      return b;
    }
    if (b === EVERY) {
      return a;
    }
    var both = new Uint8Array(a.length);
    for (var k = 0; k < a.length; k++) {
      both[k] = a[k] & b[k];
    }
    return both;
  }

  /*
   * The groups' query, run as lunr 2.3.9's Index.prototype.query would run it on the whole index,
   * but over the postings of only the terms the query expands to; returns [{ref, score}] of the
   * theses satisfying every group (see runGroups).
   *
   * lunr scores a thesis field by the dot product of the field's query vector with the thesis's
   * field vector, divided by the query vector's norm. The dot product adds the products of the
   * terms the two vectors share, in the order of their term numbers. Here they are added term by
   * term in that order, over each term's postings, so the sum is the same to the last bit. The
   * entries of other terms change nothing. A thesis's score adds its fields' scores in the order
   * lunr first meets each field of the thesis: clause by clause, each clause's terms as lunr's token
   * set lists them, then the clause's fields, then theses in ascending order. Only what our queries
   * use is done: REQUIRED and OPTIONAL clauses, no PROHIBITED ones.
   */
  ShardedSource.prototype.run = function (groups, lunr) {
    var termSet = this.termsFor(groups);
    var count = this.documentCount;
    var numbers = Object.create(null);
    this.fields.forEach(function (field, number) { numbers[field] = number; });
    var owners = [];
    var query = new lunr.Query(this.fields);
    addClauses(query, groups, lunr, owners);

    var queryVectors = this.fields.map(function () { return Object.create(null); });
    var required = new Array(this.fields.length);  // per field: undefined, EVERY, or one byte per thesis
    var matched = groups.map(function (group) { return needsCheck(group) ? new Uint8Array(count) : null; });
    var collected = Object.create(null);  // "term/field" pairs whose theses were listed
    var listed = new Uint8Array(this.fields.length * count);
    var fieldRefs = [];  // field number * count + thesis, in the order lunr first meets each
    query.clauses.forEach(function (clause, position) {
      var isRequired = clause.presence === lunr.Query.presence.REQUIRED;
      var marks = matched[owners[position]];
      var union = isRequired ? new Uint8Array(count) : null;
      var expanded = termSet.expand(lunr, clause);
      if (!expanded.length && isRequired) {
        clause.fields.forEach(function (field) { required[numbers[field]] = new Uint8Array(count); });
        return;
      }
      expanded.forEach(function (term) {
        var termNumber = termSet.numbers[term];
        var byField = termSet.postings(term);
        clause.fields.forEach(function (field) {
          var number = numbers[field];
          var documents = byField[number] ? byField[number].documents : [];
          var k;
          if (isRequired) {
            for (k = 0; k < documents.length; k++) {
              union[documents[k]] = 1;
            }
            if (required[number] === undefined) {
              required[number] = EVERY;
            }
          }
          var vector = queryVectors[number];
          vector[termNumber] = (vector[termNumber] || 0) + clause.boost;
          if (marks) {
            for (k = 0; k < documents.length; k++) {
              marks[documents[k]] = 1;
            }
          }
          if (collected[term + "/" + field]) {
            return;
          }
          collected[term + "/" + field] = true;
          for (k = 0; k < documents.length; k++) {
            var fieldRef = number * count + documents[k];
            if (!listed[fieldRef]) {
              listed[fieldRef] = 1;
              fieldRefs.push(fieldRef);
            }
          }
        });
      });
      if (isRequired) {
        clause.fields.forEach(function (field) {
          required[numbers[field]] = intersection(required[numbers[field]], union);
        });
      }
    });
    var allRequired = EVERY;
    required.forEach(function (set) {
      if (set !== undefined) {
        allRequired = intersection(allRequired, set);
      }
    });

    var products = new Float64Array(this.fields.length * count);
    var norms = queryVectors.map(function (vector, number) {
      var squares = 0;
      Object.keys(vector).map(Number).sort(function (a, b) { return a - b; }).forEach(function (termNumber) {
        var value = vector[termNumber];
        squares += value * value;
        var postings = termSet.postings(termSet.terms[termNumber])[number];
        if (postings) {
          for (var k = 0; k < postings.documents.length; k++) {
            products[number * count + postings.documents[k]] += value * postings.weights[k];
          }
        }
      });
      return Math.sqrt(squares);
    });

    var scores = new Float64Array(count);
    var scored = new Uint8Array(count);
    var results = [];
    fieldRefs.forEach(function (fieldRef) {
      var ref = fieldRef % count;
      if (allRequired !== EVERY && !allRequired[ref]) {
        return;
      }
      var score = products[fieldRef] / norms[(fieldRef - ref) / count] || 0;
      if (scored[ref]) {
        scores[ref] += score;
      } else {
        scored[ref] = 1;
        scores[ref] = score;
        results.push(ref);
      }
    });
    return results.filter(function (ref) {
      return matched.every(function (marks) { return marks === null || marks[ref] === 1; });
    }).map(function (ref) {
      return { ref: ref, score: scores[ref] };
    });
  };

  ShardedSource.prototype.documentShardName = function (ref) {
    return shardName("docs", lastAtMost(this.documentFirsts, ref), this.documentCount);
  };

  ShardedSource.prototype.requireDocuments = function (refs) {
    var names = [];
    var seen = Object.create(null);
    for (var k = 0; k < refs.length; k++) {
      var name = this.documentShardName(refs[k]);
      if (!seen[name]) {
        seen[name] = true;
        if (!this.isLoaded(name)) {
          names.push(name);
        }
      }
    }
    if (names.length) {
      throw new Missing(names);
    }
  };

  ShardedSource.prototype.document = function (ref) {
    var name = this.documentShardName(ref);
    requireAll(this, [name]);
    var shard = this.shards[name];
    return shard.documents[ref - shard.first];
  };

  // A thesis's values of a facet, as names; made for every thesis on first use, as facet counts read them often.
  ShardedSource.prototype.facetValues = function (ref, facet) {
    if (!this.facetNames) {
      this.facetNames = Object.create(null);
    }
    var names = this.facetNames[facet];
    if (!names) {
      var filter = this.filters[facet];
      var single = Object.create(null);
      names = this.facetNames[facet] = filter.documents.map(function (value) {
        if (facet === "advisor") {
          return value.map(function (number) { return filter.values[number]; });
        }
        if (value < 0) {
          return [];
        }
        return single[value] || (single[value] = [filter.values[value]]);
      });
    }
    return names[ref];
  };

  ShardedSource.prototype.requireLexicon = function () {
    requireAll(this, ["lexicon"]);
  };

  // The lexicon's terms, front-coded, become {term: field mask}.
  function decodeLexicon(data, fields) {
    var width = data.maskWidth === 2 ? 2 : 1;
    var masks = Object.create(null);
    var previous = "";
    var entries = data.terms ? data.terms.split(" ") : [];
    for (var k = 0; k < entries.length; k++) {
      var entry = entries[k];
      var code = CODES.indexOf(entry.charAt(1));
      if (width === 2) {
        code = code * CODES.length + CODES.indexOf(entry.charAt(2));
      }
      var term = previous.slice(0, CODES.indexOf(entry.charAt(0))) + entry.slice(1 + width);
      masks[term] = data.masks[code];
      previous = term;
    }
    return { masks: masks, fields: fields };
  }

  // --- Loading shards in the page: a <script> element each, which works from file:// too. ---

  var arrived = Object.create(null);

  // Called by each shard file as it runs.
  function addShard(name, data) {
    arrived[String(name)] = data;
  }

  // load(names, done) for the page: shards are scripts in `base` ("../assets/search/").
  function scriptLoader(document, base) {
    var waiting = Object.create(null);
    function request(name, callback) {
      if (waiting[name]) {
        waiting[name].push(callback);
        return;
      }
      waiting[name] = [callback];
      var script = document.createElement("script");
      function finish() {
        script.onload = script.onerror = null;
        if (script.parentNode) {
          script.parentNode.removeChild(script);
        }
        var data = arrived[name];
        delete arrived[name];
        var callbacks = waiting[name];
        delete waiting[name];
        callbacks.forEach(function (done) { done(data); });
      }
      script.onload = finish;
      script.onerror = finish;
      script.src = base + name + ".js";
      (document.head || document.body).appendChild(script);
    }
    return function load(names, done) {
      var remaining = names.length;
      var received = Object.create(null);
      var failed = [];
      if (!remaining) {
        done(null, received);
        return;
      }
      names.forEach(function (name) {
        request(name, function (data) {
          if (data === undefined) {
            failed.push(name);
          } else {
            received[name] = data;
          }
          remaining -= 1;
          if (remaining === 0) {
            done(failed.length ? new Error("assets/search/" + failed.join(".js, assets/search/") + ".js did not load") : null,
                 received);
          }
        });
      });
    };
  }

  // --- Parsing what was typed into word groups and phrases. ---

  // A query string becomes parts: {text, field, phrase}. Unknown "name:" prefixes stay text.
  function splitQuery(input) {
    var text = String(input).replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, "\"");
    var parts = [];
    var pattern = /(?:([A-Za-z]+):)?"([^"]*)("?)|(\S+)/g;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match[4] !== undefined) {
        parts.push(fieldPart(match[4]));
      } else {
        var field = match[1] ? FIELD_NAMES[match[1].toLowerCase()] : null;
        var prefix = match[1] && !field ? match[1] + " " : "";
        parts.push({ text: prefix + match[2], field: field || null, phrase: true, closed: match[3] === "\"" });
      }
    }
    return parts;
  }

  function fieldPart(token) {
    var match = /^([A-Za-z]+):(.*)$/.exec(token);
    if (match && FIELD_NAMES[match[1].toLowerCase()]) {
      return { text: match[2], field: FIELD_NAMES[match[1].toLowerCase()], phrase: false };
    }
    return { text: token, field: null, phrase: false };
  }

  // --- Searching. ---

  /*
   * A searcher over the global that index.js sets. options: pageSize, and load(names, done), which
   * loads shards of a sharded index and calls done(error, {name: data}). Without `load`, search()
   * of a sharded index returns outcome.missing, the names of the shards it needs.
   */
  function Searcher(lunr, data, options) {
    options = options || {};
    this.lunr = lunr;
    if (data && data.version === 2) {
      this.source = new ShardedSource(data, options.load);
      this.documents = null;
    } else {
      this.source = new WholeSource(lunr, data);
      this.documents = this.source.documents;
      this.index = this.source.index;
    }
    this.fields = this.source.fields;
    this.pipeline = lunr.Pipeline.load(this.source.pipeline);
    this.pageSize = options.pageSize || 10;
    this.stemCache = Object.create(null);
    this.scores = Object.create(null);
    this.lastRun = { key: null, results: null };
  }

  Searcher.prototype.stem = function (word) {
    var cached = this.stemCache[word];
    if (cached === undefined) {
      cached = this.pipeline.runString(word)[0] || "";
      this.stemCache[word] = cached;
    }
    return cached;
  };

  // What a result shows: the thesis's display data, from a loaded shard of a sharded index.
  Searcher.prototype.document = function (ref) {
    return this.source.document(ref);
  };

  Searcher.prototype.isStopWord = function (word) {
    return this.lunr.stopWordFilter(new this.lunr.Token(word)) === undefined;
  };

  // Whether the index contains a term in one of the fields.
  Searcher.prototype.hasTerm = function (term, fields) {
    return this.source.hasTerm(term, fields);
  };

  Searcher.prototype.knownFields = function (field) {
    if (!field) {
      return this.fields.slice();
    }
    return this.fields.indexOf(field) >= 0 ? [field] : [];
  };

  /*
   * Turn what was typed into groups, one per word. A group lists alternatives, index terms
   * (exact, or a prefix) each limited to fields; a thesis satisfies the group when it contains one
   * of them. Phrases also keep their folded words, for the check on the stored text.
   */
  Searcher.prototype.parse = function (input) {
    var self = this;
    var parsed = { groups: [], phrases: [], ignored: [], truncated: false };
    var parts = splitQuery(input);
    var typing = !/\s$/.test(String(input));

    parts.forEach(function (part, partNumber) {
      var fields = self.knownFields(part.field);
      var partWords = words(part.text);
      // While a quote is still open the phrase is being typed: its words count as plain words.
      var phrase = part.phrase && part.closed;
      if (phrase && partWords.length) {
        parsed.phrases.push({ words: partWords, fields: fields });
      }
      partWords.forEach(function (word, wordNumber) {
        if (parsed.groups.length >= MAX_WORDS) {
          parsed.truncated = true;
          return;
        }
        var last = partNumber === parts.length - 1 && wordNumber === partWords.length - 1;
        var prefix = typing && last && !phrase && word.length >= PREFIX_MIN_LENGTH;
        var group = self.makeGroup(word, fields, prefix, phrase);
        if (group) {
          parsed.groups.push(group);
        } else if (!phrase && parsed.ignored.indexOf(word) < 0) {
          parsed.ignored.push(word);
        }
      });
    });
    return parsed;
  };

  Searcher.prototype.makeGroup = function (word, fields, prefix, inPhrase) {
    var term = this.stem(word);
    var alternatives = [];
    var stopWord = this.isStopWord(word);
    if (stopWord) {
      // Stop words are indexed only in the people fields.
      var people = fields.filter(function (field) { return PEOPLE_FIELDS.indexOf(field) >= 0; });
      if (people.length && this.hasTerm(term, people)) {
        alternatives.push({ term: term, fields: people, prefix: false });
      }
    } else if (term && fields.length) {
      alternatives.push({ term: term, fields: fields, prefix: false });
    }
    if (prefix && fields.length) {
      alternatives.push({ term: word, fields: fields, prefix: true });
    }
    if (!alternatives.length) {
      return null;
    }
    // A stop word still being typed may become any word, so it ranks results but does not filter them.
    return { word: word, term: term, fields: fields, alternatives: alternatives, stopWord: stopWord, phrase: inPhrase,
             optional: stopWord && prefix };
  };

  // Index terms one edit away from the word, in the group's fields.
  Searcher.prototype.typoAlternatives = function (group) {
    var word = group.word;
    var self = this;
    // The variants of a word are spread over the whole term list: a sharded index looks them up in its lexicon.
    this.source.requireLexicon();
    var found = Object.create(null);
    var letters = ALPHABET;
    Array.from(word).forEach(function (letter) {
      if (letters.indexOf(letter) < 0) {
        letters += letter;
      }
    });
    function consider(variant) {
      var trimmed = trim(variant);
      if (!trimmed || trimmed === word) {
        return;
      }
      var term = self.stem(trimmed);
      if (term && !(term in found) && term !== group.term && self.hasTerm(term, group.fields)) {
        found[term] = trimmed;
      }
    }
    var chars = Array.from(word);
    for (var i = 0; i <= chars.length; i++) {
      var head = chars.slice(0, i).join("");
      var tail = chars.slice(i).join("");
      if (i < chars.length) {
        consider(head + chars.slice(i + 1).join(""));
      }
      if (i < chars.length - 1) {
        consider(head + chars[i + 1] + chars[i] + chars.slice(i + 2).join(""));
      }
      for (var l = 0; l < letters.length; l++) {
        consider(head + letters[l] + tail);
        if (i < chars.length && letters[l] !== chars[i]) {
          consider(head + letters[l] + chars.slice(i + 1).join(""));
        }
      }
    }
    return Object.keys(found).sort().map(function (term) {
      return { term: term, fields: group.fields, prefix: false, word: found[term] };
    });
  };

  // A group of one exact term is a REQUIRED lunr clause; lunr alone then enforces it.
  function isSingleTerm(group) {
    return !group.optional && group.alternatives.length === 1 && !group.alternatives[0].prefix;
  }

  // Whether a thesis must be checked against the group after the query: a group of alternatives is
  // OPTIONAL clauses, which lunr does not enforce.
  function needsCheck(group) {
    return !group.optional && !isSingleTerm(group);
  }

  // The group's alternatives as lunr query clauses; owners gets the group's position for each clause.
  function addClauses(query, groups, lunr, owners) {
    groups.forEach(function (group, position) {
      var single = isSingleTerm(group);
      group.alternatives.forEach(function (alternative) {
        query.term(alternative.term, {
          fields: alternative.fields,
          usePipeline: false,
          wildcard: alternative.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          presence: single ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL
        });
        owners.push(position);
      });
    });
  }

  /*
   * Run the groups as one lunr query and return [{ref, score}] of the theses satisfying every group.
   * The last results are kept, because a query that stops to load the display data of its results runs again.
   */
  Searcher.prototype.runGroups = function (groups) {
    var key = JSON.stringify(groups.map(function (group) {
      return [group.optional, group.alternatives.map(function (alternative) {
        return [alternative.term, alternative.prefix, alternative.fields];
      })];
    }));
    if (this.lastRun.key !== key) {
      this.lastRun = { key: key, results: this.source.run(groups, this.lunr) };
    }
    return this.lastRun.results;
  };

  // Whether lunr's match data of a thesis shows one of the group's alternatives in one of its fields.
  function satisfies(group, metadata) {
    return Object.keys(metadata).some(function (term) {
      return group.alternatives.some(function (alternative) {
        var termMatches = alternative.prefix ? term.lastIndexOf(alternative.term, 0) === 0 : term === alternative.term;
        return termMatches && alternative.fields.some(function (field) { return field in metadata[term]; });
      });
    });
  }

  // Whether the thesis's stored text contains each phrase, its words in a row, within one field value.
  Searcher.prototype.containsPhrases = function (ref, phrases) {
    var document = this.document(ref);
    return phrases.every(function (phrase) {
      return phrase.fields.some(function (field) {
        var value = document[field];
        var values = [];
        if (Array.isArray(value)) {
          values = value;
        } else if (value) {
          values = [value];
        }
        return values.some(function (text) { return containsPhrase(fold(text), phrase.words); });
      });
    });
  };

  // Look for the phrase at each word of the folded text that contains its first word.
  function containsPhrase(folded, phraseWords) {
    if (phraseWords.some(function (word) { return folded.indexOf(word) < 0; })) {
      return false;
    }
    var pattern = new RegExp(WORD.source, "g");
    var match;
    while ((match = pattern.exec(folded)) !== null) {
      if (match[0].indexOf(phraseWords[0]) >= 0 && phraseAt(folded, match.index, phraseWords)) {
        return true;
      }
      pattern.lastIndex = match.index + match[0].length;
    }
    return false;
  }

  function phraseAt(folded, start, phraseWords) {
    var pattern = new RegExp(WORD.source, "g");
    pattern.lastIndex = start;
    var matched = 0;
    var match;
    while (matched < phraseWords.length && (match = pattern.exec(folded)) !== null) {
      var word = trim(match[0]);
      if (!word) {
        continue;
      }
      if (word !== phraseWords[matched]) {
        return false;
      }
      matched += 1;
    }
    return matched === phraseWords.length;
  }

  /*
   * Search and filter; returns {input, results (the refs of this page, in rank order), total,
   * page, pageCount, facets, message, notice, groups (for snippets)}. `filters` has year,
   * department and advisor values, and `page` is 1-based.
   */
  Searcher.prototype.search = function (input, filters, page) {
    filters = filters || {};
    var outcome = { input: String(input || ""), results: [], total: 0, page: 1, pageCount: 1, facets: {},
                    message: "", notice: "", groups: [] };
    var parsed;
    var refs;
    this.scores = Object.create(null);
    try {
      parsed = this.parse(outcome.input);
      refs = this.find(parsed, outcome);
      outcome.groups = parsed.groups;
      if (refs !== null) {
        this.applyFilters(outcome, refs, filters, page);
      }
    } catch (error) {
      if (error instanceof Missing) {
        outcome.missing = error.names;
        return outcome;
      }
      // Queries are built clause by clause, so lunr.QueryParseError should not occur; any error
      // still ends in a message rather than a broken page.
      outcome.message = "The search could not run on this query (" + (error && error.message) + "). Try other words.";
      outcome.groups = [];
      return outcome;
    }
    return outcome;
  };

  /*
   * Search, loading the shards the query needs first (a sharded index), then call done(outcome).
   * With the whole index, or with every shard loaded, done is called before run returns.
   */
  Searcher.prototype.run = function (input, filters, page, done) {
    var self = this;
    var rounds = 0;
    function attempt() {
      var outcome = self.search(input, filters, page);
      if (!outcome.missing) {
        done(outcome);
        return;
      }
      rounds += 1;
      if (rounds > MAX_ROUNDS) {
        done(unavailable(input, new Error("assets/search/" + outcome.missing.join(".js, assets/search/") +
                                          ".js did not hold what the index needs")));
        return;
      }
      self.fetch(outcome.missing, function (error) {
        if (error) {
          done(unavailable(input, error));
        } else {
          attempt();
        }
      });
    }
    this.fetch(this.prefetch(input), function (error) {
      if (error) {
        done(unavailable(input, error));
      } else {
        attempt();
      }
    });
  };

  function unavailable(input, error) {
    return { input: String(input || ""), results: [], total: 0, page: 1, pageCount: 1, facets: {}, notice: "", groups: [],
             message: "Search is not available: " + error.message + ". Browse the theses instead." };
  }

  // Load shards by name, then call done(error). The error is null when each shard loaded with data of its kind.
  Searcher.prototype.fetch = function (names, done) {
    var source = this.source;
    if (!names.length) {
      done(null);
      return;
    }
    if (!source.load) {
      done(new Error("no way to load assets/search/" + names.join(".js, assets/search/") + ".js"));
      return;
    }
    source.load(names, function (error, received) {
      var wrong = names.filter(function (name) {
        return !(received && Object.prototype.hasOwnProperty.call(received, name) && source.receive(name, received[name]));
      });
      if (!error && wrong.length) {
        error = new Error("assets/search/" + wrong.join(".js, assets/search/") + ".js did not hold what was expected");
      }
      done(error || null);
    });
  };

  // The term shards that reading the query needs: each word's term, and the range of the prefix being typed.
  Searcher.prototype.prefetch = function (input) {
    var self = this;
    var items = [];
    var parts = splitQuery(String(input || ""));
    var typing = !/\s$/.test(String(input || ""));
    parts.forEach(function (part, partNumber) {
      var partWords = words(part.text);
      var phrase = part.phrase && part.closed;
      partWords.forEach(function (word, wordNumber) {
        if (items.length >= 2 * MAX_WORDS) {
          return;
        }
        var last = partNumber === parts.length - 1 && wordNumber === partWords.length - 1;
        items.push({ word: word, term: self.stem(word), prefix: typing && last && !phrase && word.length >= PREFIX_MIN_LENGTH });
      });
    });
    return this.source.shardsFor(items);
  };

  // The refs matching a parsed query, in rank order, or null when there is nothing to search for.
  Searcher.prototype.find = function (parsed, outcome) {
    var refs = this.findRefs(parsed, outcome);
    var notices = [];
    if (parsed.truncated) {
      notices.push("Only the first " + MAX_WORDS + " words were searched for.");
    }
    if (parsed.ignored.length && refs !== null) {
      notices.push("Common words left out: " + parsed.ignored.join(", ") + ".");
    }
    if (parsed.corrected && parsed.corrected.length) {
      notices.push("No exact match, so these results allow one wrong letter in: " + parsed.corrected.join(", ") + ".");
    }
    outcome.notice = notices.join(" ");
    return refs;
  };

  Searcher.prototype.findRefs = function (parsed, outcome) {
    var self = this;
    if (!parsed.groups.length && !parsed.phrases.length) {
      if (!outcome.input.trim()) {
        return this.allRefs(outcome);
      }
      outcome.message = parsed.ignored.length ?
        "Only common words were typed. Add a more specific word." :
        "Type a word to search for: letters or digits.";
      return null;
    }

    var refs;
    if (parsed.groups.length) {
      refs = this.rank(this.runGroups(parsed.groups));
      if (!refs.length) {
        refs = this.retry(parsed);
      }
    } else {
      refs = this.allDocuments();
    }
    if (parsed.phrases.length) {
      this.source.requireDocuments(refs);
      var before = refs.length;
      refs = refs.filter(function (ref) { return self.containsPhrases(ref, parsed.phrases); });
      if (before && !refs.length) {
        outcome.message = "No thesis contains the exact phrase " + parsed.phrases.map(function (phrase) {
          return "\u201c" + phrase.words.join(" ") + "\u201d";
        }).join(" and ") + ".";
      }
    }
    return refs;
  };

  // An empty query shows every thesis, in listing order, but only once a filter is chosen.
  Searcher.prototype.allRefs = function (outcome) {
    outcome.empty = true;
    return this.allDocuments();
  };

  Searcher.prototype.allDocuments = function () {
    var refs = new Array(this.source.documentCount);
    for (var ref = 0; ref < refs.length; ref++) {
      refs[ref] = ref;
    }
    return refs;
  };

  // Second tries when nothing matched: without stop words read as names, then with typos allowed.
  Searcher.prototype.retry = function (parsed) {
    var self = this;
    var names = parsed.groups.filter(function (group) { return group.stopWord; });
    var groups = parsed.groups.filter(function (group) { return names.indexOf(group) < 0; });
    var refs = [];
    if (groups.length && names.length) {
      refs = this.rank(this.runGroups(groups));
      if (refs.length) {
        parsed.groups = groups;
        names.forEach(function (group) { parsed.ignored.push(group.word); });
        return refs;
      }
    }
    groups = groups.length ? groups : parsed.groups;
    var corrected = [];
    var widened = groups.map(function (group) {
      if (group.phrase || group.word.length < TYPO_MIN_LENGTH || group.word.length > MAX_TYPO_LENGTH ||
          self.groupHasTerms(group)) {
        return group;
      }
      var typos = self.typoAlternatives(group);
      if (!typos.length) {
        return group;
      }
      corrected.push(group.word);
      return Object.assign({}, group, { alternatives: group.alternatives.concat(typos) });
    });
    if (!corrected.length) {
      return [];
    }
    refs = this.rank(this.runGroups(widened));
    if (refs.length) {
      parsed.groups = widened;
      parsed.corrected = corrected;
    }
    return refs;
  };

  // Whether any alternative of the group is in the index (a prefix counts when some term starts with it).
  Searcher.prototype.groupHasTerms = function (group) {
    var self = this;
    return group.alternatives.some(function (alternative) {
      if (!alternative.prefix) {
        return self.hasTerm(alternative.term, alternative.fields);
      }
      return self.source.hasPrefix(alternative.term, alternative.fields);
    });
  };

  // Sort by score, best first; equal scores keep the listing order. The scores are kept for outcome.scores.
  Searcher.prototype.rank = function (results) {
    var scores = this.scores;
    return results.slice().sort(function (a, b) {
      return b.score - a.score || Number(a.ref) - Number(b.ref);
    }).map(function (result) {
      scores[result.ref] = result.score;
      return Number(result.ref);
    });
  };

  Searcher.prototype.applyFilters = function (outcome, refs, filters, page) {
    var self = this;
    var active = {};
    FACETS.forEach(function (facet) {
      if (filters[facet]) {
        active[facet] = String(filters[facet]);
      }
    });
    if (outcome.empty && !Object.keys(active).length) {
      outcome.message = "Type a word to search for, or choose a year, department or advisor.";
      outcome.facets = this.facetCounts(refs, {});
      return;
    }
    var filtered = refs.filter(function (ref) { return self.passes(ref, active, null); });
    outcome.facets = this.facetCounts(refs, active);
    outcome.total = filtered.length;
    outcome.pageCount = Math.max(1, Math.ceil(filtered.length / this.pageSize));
    outcome.page = Math.min(Math.max(1, parseInt(page, 10) || 1), outcome.pageCount);
    var start = (outcome.page - 1) * this.pageSize;
    outcome.results = filtered.slice(start, start + this.pageSize);
    this.source.requireDocuments(outcome.results);
    // Every result of every page, and its lunr score (null when nothing was scored), for tests and tools.
    var scores = this.scores;
    outcome.refs = filtered;
    outcome.scores = filtered.map(function (ref) { return ref in scores ? scores[ref] : null; });
    if (!filtered.length && !outcome.message) {
      outcome.message = refs.length ?
        "No thesis matches both the words and the chosen filters." :
        "No thesis matches all of these words.";
    }
  };

  function facetValues(document, facet) {
    if (facet === "advisor") {
      return document.advisors || [];
    }
    return document[facet] ? [document[facet]] : [];
  }

  Searcher.prototype.passes = function (ref, active, except) {
    var source = this.source;
    return Object.keys(active).every(function (facet) {
      return facet === except || source.facetValues(ref, facet).indexOf(active[facet]) >= 0;
    });
  };

  // Counts per facet value, each facet counted over the results that pass the other facets' filters.
  Searcher.prototype.facetCounts = function (refs, active) {
    var self = this;
    var facets = {};
    FACETS.forEach(function (facet) {
      var counts = Object.create(null);
      refs.forEach(function (ref) {
        if (self.passes(ref, active, facet)) {
          self.source.facetValues(ref, facet).forEach(function (value) {
            counts[value] = (counts[value] || 0) + 1;
          });
        }
      });
      if (active[facet] && !(active[facet] in counts)) {
        counts[active[facet]] = 0;
      }
      facets[facet] = Object.keys(counts).map(function (value) { return [value, counts[value]]; })
        .sort(facet === "year" ? byYear : byCount);
    });
    return facets;
  };

  // The comparisons of String.prototype.localeCompare(other, "en", options), made once rather than per call.
  var NUMERIC_ORDER = new Intl.Collator("en", { numeric: true }).compare;
  var TEXT_ORDER = new Intl.Collator("en").compare;

  function byYear(a, b) {
    return NUMERIC_ORDER(b[0], a[0]);
  }

  function byCount(a, b) {
    return b[1] - a[1] || TEXT_ORDER(a[0], b[0]);
  }

  // --- Snippets: part of the abstract around the first matched word, as [{text, mark}]. ---

  Searcher.prototype.matcher = function (groups, field) {
    var self = this;
    var alternatives = [];
    groups.forEach(function (group) {
      group.alternatives.forEach(function (alternative) {
        if (alternative.fields.indexOf(field) >= 0) {
          alternatives.push(alternative);
        }
      });
    });
    return function (word) {
      var term = self.stem(word);
      return alternatives.some(function (alternative) {
        return alternative.prefix ? word.lastIndexOf(alternative.term, 0) === 0 || term.lastIndexOf(alternative.term, 0) === 0 :
          term === alternative.term;
      });
    };
  };

  Searcher.prototype.snippet = function (text, groups, length) {
    length = length || 40;
    var matches = this.matcher(groups, "abstract");
    var runs = [];
    var pattern = /\S+/g;
    var match;
    while ((match = pattern.exec(text || "")) !== null) {
      runs.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
    }
    var first = -1;
    var marked = runs.map(function (run, number) {
      var hit = words(run.text).some(matches);
      if (hit && first < 0) {
        first = number;
      }
      return hit;
    });
    var from = first < 0 ? 0 : Math.max(0, first - 8);
    var to = Math.min(runs.length, from + length);
    var segments = [];
    if (from > 0) {
      segments.push({ text: "… ", mark: false });
    }
    for (var i = from; i < to; i++) {
      var separator = i > from ? text.slice(runs[i - 1].end, runs[i].start).replace(/\s+/g, " ") : "";
      if (marked[i]) {
        var parts = /^([^\p{L}\p{N}\p{M}]*)([\s\S]*?)([^\p{L}\p{N}\p{M}]*)$/u.exec(runs[i].text);
        appendText(segments, separator + parts[1]);
        segments.push({ text: parts[2], mark: true });
        appendText(segments, parts[3]);
      } else {
        appendText(segments, separator + runs[i].text);
      }
    }
    if (to < runs.length) {
      appendText(segments, " …");
    }
    return segments;
  };

  function appendText(segments, text) {
    if (!text) {
      return;
    }
    var last = segments[segments.length - 1];
    if (last && !last.mark) {
      last.text += text;
    } else {
      segments.push({ text: text, mark: false });
    }
  }

  // --- The URL fragment: #q=...&year=...&department=...&advisor=...&page=N ---

  function readState(fragment) {
    var params = new URLSearchParams(String(fragment || "").replace(/^#/, ""));
    return {
      q: params.get("q") || "",
      year: params.get("year") || "",
      department: params.get("department") || "",
      advisor: params.get("advisor") || "",
      page: Math.max(1, parseInt(params.get("page"), 10) || 1)
    };
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.q) {
      params.set("q", state.q);
    }
    FACETS.forEach(function (facet) {
      if (state[facet]) {
        params.set(facet, state[facet]);
      }
    });
    if (state.page > 1) {
      params.set("page", String(state.page));
    }
    return params.toString();
  }

  // --- The page. ---

  var FACET_LABELS = { year: "All years", department: "All departments", advisor: "All advisors" };

  function startPage(document, window) {
    var form = document.getElementById("search-form");
    if (!form) {
      return null;
    }
    var page = new SearchPage(document, window, form);
    page.start();
    return page;
  }

  function SearchPage(document, window, form) {
    this.document = document;
    this.window = window;
    this.form = form;
    this.input = document.getElementById("search-input");
    this.status = document.getElementById("search-status");
    this.notice = document.getElementById("search-notice");
    this.list = document.getElementById("search-results");
    this.pages = document.getElementById("search-pages");
    this.selects = {};
    FACETS.forEach(function (facet) {
      this.selects[facet] = document.getElementById("filter-" + facet);
    }, this);
    this.root = this.list.getAttribute("data-site-root") || "";
    this.renderedFragment = null;
    this.timer = null;
    this.busyTimer = null;
    this.ticket = 0;
  }

  SearchPage.prototype.start = function () {
    var self = this;
    var window = this.window;
    try {
      if (!window.lunr || !window.shelfmarkSearchData) {
        throw new Error("the search index or lunr.js did not load");
      }
      this.searcher = new Searcher(window.lunr, window.shelfmarkSearchData,
                                   { pageSize: parseInt(this.list.getAttribute("data-page-size"), 10) || 10,
                                     load: scriptLoader(this.document, this.root + "assets/search/") });
    } catch (error) {
      this.showStatus("Search is not available: " + error.message + ". Browse the theses instead.");
      this.list.setAttribute("data-query", this.input.value);
      return;
    }
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.update({ q: self.input.value, page: 1 }, true);
    });
    this.input.addEventListener("input", function () {
      window.clearTimeout(self.timer);
      self.timer = window.setTimeout(function () { self.update({ q: self.input.value, page: 1 }, false); }, 120);
    });
    FACETS.forEach(function (facet) {
      self.selects[facet].addEventListener("change", function () {
        var change = { page: 1 };
        change[facet] = self.selects[facet].value;
        self.update(change, true);
      });
    });
    var clear = this.document.getElementById("search-clear-filters");
    if (clear) {
      clear.addEventListener("click", function () {
        self.update({ year: "", department: "", advisor: "", page: 1 }, true);
      });
    }
    // Back, forward and page links change the fragment; the page's own writes leave it equal to
    // what was last rendered, and are not rendered twice.
    window.addEventListener("hashchange", function () {
      var state = readState(window.location.hash);
      if (writeState(state) !== self.renderedFragment) {
        self.render(state, true);
      }
    });
    this.render(this.initialState(), false);
  };

  // The state on opening: the fragment, or ?q= from a search form on another page.
  SearchPage.prototype.initialState = function () {
    var location = this.window.location;
    var state = readState(location.hash);
    if (!state.q && location.search) {
      var query = new URLSearchParams(location.search).get("q");
      if (query) {
        state.q = query;
        this.writeFragment(state, false);
      }
    }
    return state;
  };

  SearchPage.prototype.currentState = function () {
    var state = readState(this.window.location.hash);
    state.q = this.input.value;
    return state;
  };

  SearchPage.prototype.update = function (change, newEntry) {
    this.window.clearTimeout(this.timer);
    var state = Object.assign(this.currentState(), change);
    this.writeFragment(state, newEntry);
    this.render(state, false);
  };

  // A new history entry for submits, filters and pages; typing replaces the current one.
  SearchPage.prototype.writeFragment = function (state, newEntry) {
    var fragment = writeState(state);
    if (fragment === this.window.location.hash.replace(/^#/, "")) {
      return;
    }
    if (newEntry) {
      this.window.location.hash = fragment;
    } else {
      this.window.location.replace("#" + fragment);
    }
  };

  /*
   * Show the results for a state. With a sharded index the shards the query needs load first; a
   * newer render started meanwhile wins, and the older one shows nothing. The status says that
   * the search is loading only when that takes a while.
   */
  SearchPage.prototype.render = function (state, fromHistory) {
    var self = this;
    var focused = this.document.activeElement;
    if (this.input.value !== state.q) {
      this.input.value = state.q;
    }
    var ticket = ++this.ticket;
    this.renderedFragment = writeState(state);
    this.window.clearTimeout(this.busyTimer);
    this.busyTimer = this.window.setTimeout(function () {
      if (ticket === self.ticket) {
        self.list.setAttribute("aria-busy", "true");
        self.showStatus("Searching\u2026");
      }
    }, 400);
    this.searcher.run(state.q, state, state.page, function (outcome) {
      if (ticket !== self.ticket) {
        return;
      }
      self.window.clearTimeout(self.busyTimer);
      self.list.removeAttribute("aria-busy");
      self.show(outcome, state, fromHistory, focused);
    });
  };

  SearchPage.prototype.show = function (outcome, state, fromHistory, focused) {
    this.renderFacets(outcome, state);
    this.renderResults(outcome);
    this.renderPages(outcome, state);
    this.renderStatus(outcome);
    this.list.setAttribute("data-query", state.q);
    // A page link that was clicked is gone after rendering; the status then takes the focus.
    if (fromHistory && (!focused || focused === this.document.body || !this.document.body.contains(focused))) {
      this.status.focus();
    }
  };

  SearchPage.prototype.renderStatus = function (outcome) {
    var text;
    if (outcome.message) {
      text = outcome.message;
    } else {
      var first = (outcome.page - 1) * this.searcher.pageSize + 1;
      var last = first + outcome.results.length - 1;
      text = "Now showing " + first + " - " + last + " of " + outcome.total +
        (outcome.total === 1 ? " thesis" : " theses");
      if (outcome.input.trim()) {
        text += " for \u201c" + outcome.input.trim() + "\u201d";
      }
      text += ".";
    }
    this.showStatus(text);
    this.notice.textContent = outcome.notice;
    this.notice.hidden = !outcome.notice;
  };

  SearchPage.prototype.showStatus = function (text) {
    if (this.status.textContent !== text) {
      this.status.textContent = text;
    }
  };

  SearchPage.prototype.renderResults = function (outcome) {
    var document = this.document;
    var list = this.list;
    var searcher = this.searcher;
    var root = this.root;
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    list.setAttribute("start", String((outcome.page - 1) * searcher.pageSize + 1));
    outcome.results.forEach(function (ref) {
      var thesis = searcher.document(ref);
      var item = element(document, "li", "thesis-summary");
      var heading = element(document, "h3", "thesis-title");
      var link = element(document, "a");
      link.setAttribute("href", root + thesis.path);
      link.textContent = thesis.title || "Untitled";
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(metaLine(document, thesis));
      if (thesis.abstract) {
        var excerpt = element(document, "p", "thesis-excerpt");
        searcher.snippet(thesis.abstract, outcome.groups).forEach(function (segment) {
          if (segment.mark) {
            var mark = element(document, "mark");
            mark.textContent = segment.text;
            excerpt.appendChild(mark);
          } else {
            excerpt.appendChild(document.createTextNode(segment.text));
          }
        });
        item.appendChild(excerpt);
      }
      list.appendChild(item);
    });
  };

  function metaLine(document, thesis) {
    var meta = element(document, "p", "thesis-meta");
    var pieces = [];
    pieces.push([thesis.year || "n.d.", "year"]);
    if (thesis.authors && thesis.authors.length) {
      pieces.push([thesis.authors.join("; "), "authors"]);
    }
    if (thesis.department) {
      pieces.push([thesis.department, "department"]);
    }
    pieces.forEach(function (piece, number) {
      if (number > 0) {
        var separator = element(document, "span", "sep");
        separator.setAttribute("aria-hidden", "true");
        separator.textContent = " · ";
        meta.appendChild(separator);
      }
      var span = element(document, "span", piece[1]);
      span.textContent = piece[0];
      meta.appendChild(span);
    });
    return meta;
  }

  function hiddenText(document, text) {
    var span = element(document, "span", "visually-hidden");
    span.textContent = text;
    return span;
  }

  function element(document, name, className) {
    var node = document.createElement(name);
    if (className) {
      node.className = className;
    }
    return node;
  }

  SearchPage.prototype.renderFacets = function (outcome, state) {
    var document = this.document;
    var any = false;
    FACETS.forEach(function (facet) {
      var select = this.selects[facet];
      while (select.firstChild) {
        select.removeChild(select.firstChild);
      }
      var all = element(document, "option");
      all.value = "";
      all.textContent = FACET_LABELS[facet];
      select.appendChild(all);
      (outcome.facets[facet] || []).forEach(function (entry) {
        var option = element(document, "option");
        option.value = entry[0];
        option.textContent = entry[0] + " (" + entry[1] + ")";
        select.appendChild(option);
      });
      select.value = state[facet] || "";
      any = any || Boolean(state[facet]);
    }, this);
    var clear = document.getElementById("search-clear-filters");
    if (clear) {
      clear.hidden = !any;
    }
  };

  SearchPage.prototype.renderPages = function (outcome, state) {
    var document = this.document;
    var nav = this.pages;
    var list = nav.querySelector("ul");
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    nav.hidden = outcome.pageCount <= 1;
    if (nav.hidden) {
      return;
    }
    // label: [visible text, hidden text before it, hidden text after it]
    function add(number, label, rel) {
      var item = element(document, "li");
      var link = element(document, "a");
      link.setAttribute("href", "#" + writeState(Object.assign({}, state, { page: number })));
      if (number === outcome.page && !rel) {
        link.setAttribute("aria-current", "page");
      }
      if (rel) {
        link.setAttribute("rel", rel);
      }
      if (label[1]) {
        link.appendChild(hiddenText(document, label[1]));
      }
      link.appendChild(document.createTextNode(label[0]));
      if (label[2]) {
        link.appendChild(hiddenText(document, label[2]));
      }
      item.appendChild(link);
      list.appendChild(item);
    }
    if (outcome.page > 1) {
      add(outcome.page - 1, ["Previous", "", " page"], "prev");
    }
    for (var number = 1; number <= outcome.pageCount; number++) {
      if (number === 1 || number === outcome.pageCount || Math.abs(number - outcome.page) <= 2) {
        add(number, [String(number), "Page ", ""], null);
      } else if (Math.abs(number - outcome.page) === 3) {
        var gap = element(document, "li", "gap");
        gap.setAttribute("aria-hidden", "true");
        gap.textContent = "…";
        list.appendChild(gap);
      }
    }
    if (outcome.page < outcome.pageCount) {
      add(outcome.page + 1, ["Next", "", " page"], "next");
    }
  };

  return {
    fold: fold,
    trim: trim,
    words: words,
    splitQuery: splitQuery,
    expandIndex: expandIndex,
    readState: readState,
    writeState: writeState,
    shardName: shardName,
    decodeLexicon: decodeLexicon,
    addShard: addShard,
    scriptLoader: scriptLoader,
    Searcher: Searcher,
    startPage: startPage
  };
}));
