/*
 * Site search. The index is built with the site (shelfmark/search) and loaded by a <script>
 * element as the global shelfmarkSearchData; lunr.js (assets/vendor/lunr) searches it.
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

  function Searcher(lunr, data, options) {
    this.lunr = lunr;
    this.documents = data.documents;
    this.index = lunr.Index.load(expandIndex(data.index));
    this.fields = data.index.fields;
    this.pageSize = (options && options.pageSize) || 10;
    this.stemCache = Object.create(null);
  }

  Searcher.prototype.stem = function (word) {
    var cached = this.stemCache[word];
    if (cached === undefined) {
      cached = this.index.pipeline.runString(word)[0] || "";
      this.stemCache[word] = cached;
    }
    return cached;
  };

  Searcher.prototype.isStopWord = function (word) {
    return this.lunr.stopWordFilter(new this.lunr.Token(word)) === undefined;
  };

  // Whether the index contains a term in one of the fields.
  Searcher.prototype.hasTerm = function (term, fields) {
    var posting = this.index.invertedIndex[term];
    if (!posting) {
      return false;
    }
    return fields.some(function (field) {
      return posting[field] && Object.keys(posting[field]).length > 0;
    });
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

  /*
   * Run the groups through lunr; return [{ref, score, matchData}] of theses satisfying every group.
   * Alternatives of a larger group are OPTIONAL clauses, and lunr's match data then shows whether
   * a thesis matched one of them.
   */
  Searcher.prototype.runGroups = function (groups) {
    var lunr = this.lunr;
    var results = this.index.query(function (query) {
      groups.forEach(function (group) {
        var single = isSingleTerm(group);
        group.alternatives.forEach(function (alternative) {
          query.term(alternative.term, {
            fields: alternative.fields,
            usePipeline: false,
            wildcard: alternative.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
            presence: single ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL
          });
        });
      });
    });
    return results.filter(function (result) {
      return groups.every(function (group) {
        return group.optional || isSingleTerm(group) || satisfies(group, result.matchData.metadata);
      });
    });
  };

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
    var document = this.documents[ref];
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
    try {
      parsed = this.parse(outcome.input);
      refs = this.find(parsed, outcome);
    } catch (error) {
      // Queries are built clause by clause, so lunr.QueryParseError should not occur; any error
      // still ends in a message rather than a broken page.
      outcome.message = "The search could not run on this query (" + (error && error.message) + "). Try other words.";
      return outcome;
    }
    outcome.groups = parsed.groups;
    if (refs === null) {
      return outcome;
    }
    this.applyFilters(outcome, refs, filters, page);
    return outcome;
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
      refs = this.documents.map(function (document, ref) { return ref; });
    }
    if (parsed.phrases.length) {
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
    return this.documents.map(function (document, ref) { return ref; });
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
      return Object.keys(self.index.invertedIndex).some(function (term) {
        return term.lastIndexOf(alternative.term, 0) === 0 && self.hasTerm(term, alternative.fields);
      });
    });
  };

  // Sort by score, best first; equal scores keep the listing order.
  Searcher.prototype.rank = function (results) {
    return results.slice().sort(function (a, b) {
      return b.score - a.score || Number(a.ref) - Number(b.ref);
    }).map(function (result) { return Number(result.ref); });
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
    var document = this.documents[ref];
    return Object.keys(active).every(function (facet) {
      return facet === except || facetValues(document, facet).indexOf(active[facet]) >= 0;
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
          facetValues(self.documents[ref], facet).forEach(function (value) {
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

  function byYear(a, b) {
    return b[0].localeCompare(a[0], "en", { numeric: true });
  }

  function byCount(a, b) {
    return b[1] - a[1] || a[0].localeCompare(b[0], "en");
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
  }

  SearchPage.prototype.start = function () {
    var self = this;
    var window = this.window;
    try {
      if (!window.lunr || !window.shelfmarkSearchData) {
        throw new Error("the search index or lunr.js did not load");
      }
      this.searcher = new Searcher(window.lunr, window.shelfmarkSearchData,
                                   { pageSize: parseInt(this.list.getAttribute("data-page-size"), 10) || 10 });
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

  SearchPage.prototype.render = function (state, fromHistory) {
    var focused = this.document.activeElement;
    if (this.input.value !== state.q) {
      this.input.value = state.q;
    }
    var outcome = this.searcher.search(state.q, state, state.page);
    this.renderFacets(outcome, state);
    this.renderResults(outcome);
    this.renderPages(outcome, state);
    this.renderStatus(outcome);
    this.renderedFragment = writeState(state);
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
      var thesis = searcher.documents[ref];
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
    Searcher: Searcher,
    startPage: startPage
  };
}));
