/* Search without a server: the service's query evaluation (plugins/search/engine/searcher.py)
   over the static index the build writes (plugins/search/engine/static.py), for a browser or
   Node.  No DOM here: search-page.js renders what `search` returns.

   The steps follow the service's one by one (the names of its methods are given), so that
   the two rank alike; what differs, and why, is in docs/search.md ("Search without a
   server"): the query is segmented against the index's own vocabulary (its words and how
   often each occurs) instead of by jieba, and a run of characters is taken as held by the
   documents that have every pair and every stored triple of it (the service also checks the
   text). */

const QUERY_MAX = 100;
const HAN = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const HAN_RUNS = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const HAN_ANY = /[\u3400-\u9fff\uf900-\ufaff]/;
// Runs of Han characters, and words of letters and digits as jieba (rjieba) cuts them: joined
// by one . _ or - (「ab-123」, 「3.5」, 「www.tj.gov.cn」), with + and % kept at the end (「c++」, 「100%」).
const TOKEN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[._-][a-z0-9]+|[+%])*/g;
const NON_WORD = /[^\p{L}\p{N}\p{M}]+/gu;   // Python's [\W_]+
const WORDLIKE = /[\p{L}\p{N}\p{M}_]/u;      // Python's \w
const QUOTED = /"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』/g;
const TITLE_OMITTED_PREFIX = "中华人民共和国";
const DOC_NO = /^(.+?)[〔[(（【﹝](\d{4})[〕\])）】﹞](.+)$/u;
// foundation/textnorm.py: the full-width forms folded to ASCII, and the characters that need NFKC.
const FULLWIDTH = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff03\uff05\uff06\uff0b\uff0d\uff0e\uff3f]/g;
const COMPAT = /[\u00aa\u00b2\u00b3\u00b9\u00ba\u00bc-\u00be\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793\u3200-\u33ff\uf900-\ufaff\ufb00-\ufb06\ufe30-\ufe4f\uff61-\uffef]/;
const COMPAT_ALL = new RegExp(COMPAT.source, "g");   // each compatibility character alone, as textnorm.fold
const SNIPPET_CHARS = 120;
const SNIPPET_LEAD = 24;

export class QueryError extends Error {}

/* ---------------------------------------------------------------- text (analysis.py) */

export function fold(text, t2s) {
  let out = text.replace(FULLWIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (COMPAT.test(out)) { out = out.replace(COMPAT_ALL, (c) => c.normalize("NFKC")); }
  out = out.toLowerCase();
  if (t2s) { out = Array.from(out, (c) => t2s[c] || c).join(""); }
  return out;
}

export function parse(text) {
  const raw = text.trim();
  if ([...raw].length > QUERY_MAX) {
    throw new QueryError(`搜索词太长：${[...raw].length} 个字，最多 ${QUERY_MAX} 个字`);
  }
  const phrases = [];
  for (const m of raw.matchAll(QUOTED)) { phrases.push(m.slice(1).find((g) => g !== undefined)); }
  let rest = raw.replace(QUOTED, " ").replace(/["“”]/g, " ");
  return { raw, chunks: rest.split(/\s+/).filter(Boolean), phrases: phrases.map((p) => p.trim()) };
}

function pairs(word) {
  const out = [];
  const chars = [...word];
  for (let i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
  return out;
}

function unique(list) { return [...new Set(list)]; }

/* ---------------------------------------------------------------- bytes */

const UTF8 = new TextDecoder();   // one for every key of every bucket read

class Reader {
  constructor(buffer) { this.b = new Uint8Array(buffer); this.at = 0; }
  get done() { return this.at >= this.b.length; }
  varint() {
    let n = 0; let shift = 0; let byte;
    do { byte = this.b[this.at++]; n += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return n;
  }
  bytes(n) { const out = this.b.subarray(this.at, this.at + n); this.at += n; return out; }
  text(n) { return UTF8.decode(this.bytes(n)); }
}

function decodeIds(r, count) {
  const out = new Int32Array(count);
  let last = 0;
  for (let i = 0; i < count; i++) { last += r.varint(); out[i] = last; }
  return out;
}

export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) { h = Math.imul(h ^ byte, 0x01000193) >>> 0; }
  return h >>> 0;
}

function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""); }

/* ---------------------------------------------------------------- the index */

export class StaticIndex {
  /* `load(path, kind)` fetches a file of the index ("json", "bytes" or "text") by its path
     relative to the index folder; every file is fetched once. */
  constructor(load) {
    this.load = load;
    this.files = new Map();
  }

  file(path, kind) {
    if (!this.files.has(path)) { this.files.set(path, this.load(path, kind)); }
    return this.files.get(path);
  }

  async open() {
    if (this.m !== undefined) { return this; }
    const manifest = await this.file("manifest.json", "json");
    this.manifest = manifest;
    this.c = manifest.constants;
    this.stop = new Set(manifest.stopwords);
    this.count = manifest.count;
    this.m = manifest.slots;
    this.fields = manifest.fields;            // [name, boost, mean length] of the fields with terms
    this.metaSlot = manifest.buckets;
    this.showsSlot = manifest.buckets + manifest.meta_files;
    this.datesSlot = this.showsSlot + manifest.shows_files;
    return this;
  }

  async slotHash(slot) {
    /* The content hash of a bucket, meta or shows file: in its page of the directory. */
    const per = this.manifest.page_slots;
    const page = Math.floor(slot / per);
    const name = `d/${page}.${this.manifest.pages.slice(12 * page, 12 * page + 12)}.bin`;
    const bytes = new Uint8Array(await this.file(name, "bytes"));
    const at = (slot % per) * 6;
    return hex(bytes.subarray(at, at + 6));
  }

  async meta(n) {
    /* Documents per file n: year, column, title length and field lengths (static.py _meta). */
    const key = `meta:${n}`;
    if (!this.files.has(key)) {
      this.files.set(key, (async () => {
        const buffer = await this.file(`m/${n}.${await this.slotHash(this.metaSlot + n)}.bin`, "bytes");
        const per = this.manifest.meta_per_file;
        const k = Math.min(per, this.m - n * per);
        const bytes = new Uint8Array(buffer);
        return { year: bytes.subarray(0, k), column: bytes.subarray(k, 2 * k), title: bytes.subarray(2 * k, 3 * k),
                 lengths: this.fields.map((_f, i) => bytes.subarray((3 + i) * k, (4 + i) * k)) };
      })());
    }
    return this.files.get(key);
  }

  async perFile(list, fetch) {
    /* For each document of `list`, its file's data (files of meta_per_file documents). */
    const per = this.manifest.meta_per_file;
    const files = [...new Set(list.map((d) => Math.floor(d / per)))];
    const loaded = new Map(await Promise.all(files.map(async (n) => [n, await fetch(n)])));
    return (d) => [loaded.get(Math.floor(d / per)), d % per];
  }

  async docs(list) {
    /* The per-document data of `list`, by document: fetched for the files they are in. */
    const years = this.manifest.years;
    const at = await this.perFile(list, (n) => this.meta(n));
    return (d) => {
      const [f, i] = at(d);
      return { year: years[f.year[i]], column: f.column[i], title: f.title[i], lengths: f.lengths.map((l) => l[i]) };
    };
  }

  async dates(list) {
    /* The date (YYYYMMDD, 0 for none) of each document of `list`: files of their own, fetched
       only to sort by date or to order documents of equal score (static.py _meta). */
    const at = await this.perFile(list, async (n) => new Int32Array(
      await this.file(`t/${n}.${await this.slotHash(this.datesSlot + n)}.bin`, "bytes")));
    return (d) => { const [f, i] = at(d); return f ? f[i] : 0; };
  }

  async t2s(text) {
    /* The traditional characters' table (static.py), fetched only for a query that has one of
       them, as their bitmap says (3.4 KB, fetched once for a query with Han characters). */
    if (!HAN_ANY.test(text)) { return null; }
    const bits = new Uint8Array(await this.file(this.manifest.traditional, "bytes"));
    const has = [...text].some((c) => {
      const at = c.codePointAt(0) - 0x3400;
      return at >= 0 && at < bits.length * 8 && (bits[at >> 3] >> (at & 7)) & 1;
    });
    return has ? this.file(this.manifest.t2s, "json") : null;
  }

  async bucket(anchor) {
    const n = fnv1a(anchor) % this.manifest.buckets;
    const path = `bucket:${n}`;
    if (!this.files.has(`parsed:${path}`)) {
      this.files.set(`parsed:${path}`, this.slotHash(n).then((h) => this.file(`b/${n}.${h}.bin`, "bytes")).then((buffer) => {
        const entries = new Map();
        const r = new Reader(buffer);
        while (!r.done) {
          const key = r.text(r.varint());
          const df = r.varint();
          const cf = key[0] === "w" ? r.varint() : 0;
          const own = r.bytes(1)[0] === 1;
          const size = r.varint();
          const data = own ? r.text(size) : r.bytes(size);
          entries.set(key, { df, cf, own, data });
        }
        return entries;
      }));
    }
    return this.files.get(`parsed:${path}`);
  }

  async entry(anchor, key) {
    return (await this.bucket(anchor)).get(key) || null;
  }

  async blob(e) {
    return e.own ? new Uint8Array(await this.file(e.data, "bytes")) : e.data;
  }

  async ids(anchor, key) {
    /* Documents of a gram, title gram or identifier entry (none when the index has no such key). */
    const e = await this.entry(anchor, key);
    if (!e) { return new Int32Array(0); }
    return decodeIds(new Reader((await this.blob(e)).slice().buffer), e.df);
  }

  async shows(d) {
    const per = this.manifest.shows_per_file;
    const n = Math.floor(d / per);
    const list = await this.file(`s/${n}.${await this.slotHash(this.showsSlot + n)}.json`, "json");
    return list[d % per];
  }
}

/* ---------------------------------------------------------------- evaluation (searcher.py) */

export class Searcher {
  constructor(index) { this.ix = index; }

  mask(docs) { const m = new Uint8Array(this.ix.m); for (const d of docs) { m[d] = 1; } return m; }
  ones() { return new Uint8Array(this.ix.m).fill(1); }
  and(masks) {
    const out = this.ones();
    for (const mk of masks) { for (let d = 0; d < out.length; d++) { out[d] &= mk[d]; } }
    return out;
  }

  normalise(text) { return fold(text, this.t2s); }
  core(text) { return this.normalise(text).replace(NON_WORD, ""); }
  titleCore(title) {
    const c = this.core(title);
    return c.startsWith(TITLE_OMITTED_PREFIX) && c.length > TITLE_OMITTED_PREFIX.length
      ? c.slice(TITLE_OMITTED_PREFIX.length) : c;
  }
  hanRuns(text) { return unique(this.normalise(text).match(HAN_RUNS) || []); }
  normaliseId(value) {
    const v = fold(value.normalize("NFKC"), this.t2s).replace(/\s+/g, "");
    const m = DOC_NO.exec(v);
    return (m ? `${m[1]}〔${m[2]}〕${m[3]}` : v).toUpperCase();
  }

  async queryWords(text) {
    /* analysis.query_words: the words of a query, in order, without repeats; Han runs are
       segmented by the most probable path through the index's own words (as jieba's route
       through its dictionary), other runs of letters and digits are words. */
    const seen = new Set();
    for (const m of this.normalise(text).matchAll(TOKEN)) {
      const words = HAN.test(m[0]) ? await this.segment(m[0]) : [m[0]];
      for (const w of words) { if (!this.ix.stop.has(w) && WORDLIKE.test(w)) { seen.add(w); } }
    }
    return [...seen];
  }

  async segment(run) {
    const chars = [...run];
    const n = chars.length;
    const starts = [];
    for (let i = 0; i < n; i++) {
      starts.push(Promise.all([this.ix.bucket(chars[i]), i + 1 < n ? this.ix.bucket(chars[i] + chars[i + 1]) : null]));
    }
    const found = await Promise.all(starts);
    const freq = new Map();
    const total = this.ix.manifest.total_cf;
    const dag = [];
    for (let i = 0; i < n; i++) {
      const ends = [i];
      const [one, two] = found[i];
      const single = one && one.get("w" + chars[i]);
      if (single) { freq.set(chars[i], single.cf); }
      if (two) {
        for (let j = i + 1; j < n; j++) {
          const w = chars.slice(i, j + 1).join("");
          const e = two.get("w" + w);
          if (e) { freq.set(w, e.cf); ends.push(j); }
        }
      }
      dag.push(ends);
    }
    // jieba's route: the path of words with the greatest sum of log frequencies (ties: longer word).
    const logTotal = Math.log(total);
    const route = new Array(n + 1);
    route[n] = [0, 0];
    for (let i = n - 1; i >= 0; i--) {
      let best = null;
      for (const j of dag[i]) {
        const w = chars.slice(i, j + 1).join("");
        const score = Math.log(freq.get(w) || 1) - logTotal + route[j + 1][0];
        if (best === null || score > best[0] || (score === best[0] && j > best[1])) { best = [score, j]; }
      }
      route[i] = best;
    }
    const out = [];
    for (let i = 0; i < n;) { const j = route[i][1]; out.push(chars.slice(i, j + 1).join("")); i = j + 1; }
    return out;
  }

  async word(term) {
    /* Searcher.word's postings: documents with `term` in any text field and its frequency in
       each field.  Its BM25 sum is computed once the matches are known (score), from their
       field lengths alone: the lengths of every document are not fetched. */
    const e = await this.ix.entry([...term].slice(0, 2).join(""), "w" + term);
    if (!e) { return { docs: new Int32Array(0), fields: [] }; }
    const r = new Reader((await this.ix.blob(e)).slice().buffer);
    const fieldMask = r.bytes(1)[0];
    const docs = decodeIds(r, e.df);
    const fields = [];
    this.ix.fields.forEach((_f, f) => { if (fieldMask & (1 << f)) { fields.push([f, r.bytes(docs.length)]); } });
    return { docs, fields };
  }

  bm25(words, matched, data) {
    /* Each matched document's BM25 sum over the clause's words and their fields. */
    const out = new Map();
    const { K1, B } = this.ix.c;
    const table = this.ix.manifest.byte_lengths;
    for (const { docs, fields } of words) {
      for (const [f, tf] of fields) {
        const [_name, boost, avg] = this.ix.fields[f];
        let df = 0;
        for (let i = 0; i < docs.length; i++) { if (tf[i]) { df++; } }
        const idf = Math.log(1 + (this.ix.count - df + 0.5) / (df + 0.5));
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i];
          if (!tf[i] || !matched[d]) { continue; }
          const norm = K1 * (1 - B + B * table[data(d).lengths[f]] / (avg || 1));
          out.set(d, (out.get(d) || 0) + Math.fround(boost * idf * tf[i] * (K1 + 1) / (tf[i] + norm)));
        }
      }
    }
    return out;
  }

  gramDocs(gram) { return this.ix.ids(gram, "g" + gram); }
  exact(value) { return this.ix.ids("i" + value, "i" + value); }

  async wordClause(w, pairsToo = true) {
    const posting = await this.word(w);
    const mask = this.mask(posting.docs);
    if (pairsToo && [...w].length > 1 && HAN.test(w)) {
      const both = this.and(await Promise.all(unique(pairs(w)).map(async (p) => this.mask(await this.gramDocs(p)))));
      for (let d = 0; d < mask.length; d++) { mask[d] |= both[d]; }
    }
    return { mask, words: [posting], bonus: null, parts: [] };
  }

  async runDocs(run, exact) {
    /* RunLookups.run_docs: documents with every adjacent pair of the run, rarest pair first,
       then (where the service checks the few left in their text) with every three adjacent
       characters of it: the static index holds each document's triples (static.py). */
    const chars = [...run];
    if (chars.length <= 2) { return this.gramDocs(run); }
    const ps = unique(pairs(run));
    const entries = await Promise.all(ps.map((p) => this.ix.entry(p, "g" + p)));
    if (entries.some((e) => !e)) { return new Int32Array(0); }
    const order = ps.map((p, i) => [entries[i].df, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    if (!exact && order[0][0] > this.ix.c.RANK_DF) { return new Int32Array(0); }
    const triples = unique(chars.slice(0, -2).map((c, i) => c + chars[i + 1] + chars[i + 2]));
    // A triple the index leaves out is in exactly the documents of its first pair (static.py).
    const tripleEntries = await Promise.all(triples.map((t) => this.ix.entry(t.slice(0, 2), "g" + t)));
    // Rarest first, pairs and triples alike, every one of them: the service checks the few
    // left in their text, and without that every triple is what tells a document holding the
    // run from one holding its parts.  (Skipping the triples with a file of their own once few
    // candidates were left saved no bytes at the median and cost fragments MRR@10 0.921 -> 0.909
    // at 20,000 documents: docs/search.md.)
    const lists = [...order.map(([df, i]) => [df, entries[i], ps[i]]),
                   ...tripleEntries.flatMap((e, i) => (e ? [[e.df, e, triples[i]]] : []))].sort((a, b) => a[0] - b[0]);
    let candidates = null;
    for (const [_df, _e, gram] of lists) {
      const docs = await this.ix.ids([...gram].slice(0, 2).join(""), "g" + gram);
      if (candidates === null) { candidates = docs; continue; }
      const keep = this.mask(docs);
      candidates = candidates.filter((d) => keep[d]);
      if (!candidates.length) { break; }
    }
    return candidates;
  }

  async runsClause(runs, others, exact) {
    const held = await Promise.all(runs.map((r) => this.runDocs(r, exact)));
    return this.and([...held.map((docs) => this.mask(docs)), ...others.map((c) => c.mask)]);
  }

  words(clauses) { return clauses.flatMap((c) => c.words); }

  async chunkClauses(chunk, idHits) {
    const ident = await this.exact(this.normaliseId(chunk));
    const words = await this.queryWords(chunk);
    const clauses = await Promise.all(words.map((w) => this.wordClause(w)));
    if (ident.length) {
      for (const d of ident) { idHits[d] = 1; }
      const whole = this.and(clauses.map((c) => c.mask));
      for (const d of ident) { whole[d] = 1; }
      return [{ mask: whole, words: this.words(clauses), bonus: null, parts: [] }];
    }
    const runs = this.hanRuns(chunk);
    if (!runs.length) { return clauses; }
    const others = clauses.filter((_c, i) => !HAN_ANY.test(words[i]));
    const held = await this.runsClause(runs, others, false);
    const mask = this.and(clauses.map((c) => c.mask));
    for (let d = 0; d < mask.length; d++) { mask[d] |= held[d]; }
    return [{ mask, words: this.words(clauses), bonus: held, parts: clauses }];
  }

  async phraseClause(phrase) {
    const words = await this.queryWords(phrase);
    const clauses = await Promise.all(words.map((w) => this.wordClause(w, false)));
    const runs = this.hanRuns(phrase);
    if (!runs.length) { return { mask: this.and(clauses.map((c) => c.mask)), words: this.words(clauses), bonus: null, parts: [] }; }
    const others = clauses.filter((_c, i) => !HAN_ANY.test(words[i]));
    const held = await this.runsClause(runs, others, true);
    return { mask: held, words: this.words(clauses), bonus: held, parts: [] };
  }

  async titlesContaining(text) {
    /* Titles.containing: title cores holding `text`, from the title grams (a character, or
       every pair of the text). */
    if (!text) { return new Uint8Array(this.ix.m); }
    const chars = [...text];
    const grams = chars.length === 1 ? chars : unique(pairs(text));
    const lists = await Promise.all(grams.map((g) => this.ix.ids(g, "t" + g)));
    return this.and(lists.map((l) => this.mask(l)));
  }

  combine(clauses, known) {
    /* Searcher._combine on the masks: the AND of the clauses, or else their OR, plus `known`. */
    if (!clauses.length) { return { match: known, relaxed: false }; }
    const match = this.and(clauses.map((c) => c.mask));
    let any = false;
    for (let d = 0; d < match.length; d++) { match[d] |= known[d]; if (match[d]) { any = true; } }
    const relaxed = !any && (clauses.length > 1 || clauses[0].parts.length > 1);
    if (relaxed) {
      for (const c of clauses) {
        for (const part of [c, ...c.parts]) { for (let d = 0; d < match.length; d++) { match[d] |= part.mask[d]; } }
      }
    }
    return { match, relaxed };
  }

  filter(docs, data, filters) {
    /* Searcher._filter: column and year narrow each other's facet counts, not their own. */
    const columns = this.ix.manifest.columns.map(([k]) => k);
    const years = this.ix.manifest.years;
    const column = (d) => columns[data(d).column];
    const year = (d) => data(d).year;
    const byColumn = (d) => !filters.column || column(d) === filters.column;
    const byYear = (d) => !filters.year || year(d) === filters.year;
    const count = (list, key, keys) => {
      const n = new Map();
      for (const d of list) { const k = key(d); n.set(k, (n.get(k) || 0) + 1); }
      const out = {};
      for (const k of keys) { if (n.get(k)) { out[k] = n.get(k); } }
      return out;
    };
    const facets = { column: count(docs.filter(byYear), column, columns), year: count(docs.filter(byColumn), year, years) };
    return { final: docs.filter((d) => byColumn(d) && byYear(d)), facets };
  }

  highlightWords(q) {
    const words = [];
    const add = (w) => { if (!words.includes(w)) { words.push(w); } };
    for (const p of q.phrases) { add(p); this.hanRuns(p).forEach(add); }
    for (const [i, chunk] of q.chunks.entries()) {
      add(chunk); this.hanRuns(chunk).forEach(add); q.chunkWords[i].forEach(add);
    }
    return words.sort((a, b) => [...b].length - [...a].length);
  }

  async search(text, { page = 1, perPage = 10, sort = "relevance", filters = {} } = {}) {
    await this.ix.open();
    const q = parse(text);
    this.t2s = await this.ix.t2s(q.raw);
    const idHits = new Uint8Array(this.ix.m);
    const clauses = [];
    q.chunkWords = [];
    for (const chunk of q.chunks) {
      clauses.push(...await this.chunkClauses(chunk, idHits));
      q.chunkWords.push(await this.queryWords(chunk));
    }
    for (const p of q.phrases.filter((p) => this.core(p))) { clauses.push(await this.phraseClause(p)); }
    q.phrases = q.phrases.filter((p) => this.core(p));
    const whole = this.core([...q.chunks, ...q.phrases].join(" "));
    const wanted = this.titleCore(whole);
    const inTitle = await this.titlesContaining(wanted);
    if (q.chunks.length > 1) { for (const d of await this.exact(this.normaliseId(q.raw))) { idHits[d] = 1; } }
    const known = inTitle.map((v, d) => v | idHits[d]);
    const { match, relaxed } = this.combine(clauses, known);
    const matched = [];
    for (let d = 0; d < match.length; d++) { if (match[d]) { matched.push(d); } }
    const data = await this.ix.docs(matched);
    const { final: docs, facets } = this.filter(matched, data, filters);
    const inFinal = this.mask(docs);
    // The service's score of each document left: its clauses' BM25 sums and run bonuses, then
    // the known-item bonuses (Searcher._add_known_item_bonus), summed in float32 as there.
    const c = this.ix.c;
    const score = new Map(docs.map((d) => [d, 0]));
    const wantedLength = [...wanted].length;
    for (const clause of clauses) {
      const sums = this.bm25(clause.words, inFinal, data);
      for (const d of docs) {
        let v = sums.get(d) || 0;
        if (clause.bonus && clause.bonus[d]) { v = Math.fround(v + c.RUN_BONUS); }
        score.set(d, Math.fround(score.get(d) + v));
      }
    }
    for (const d of docs) {
      let v = score.get(d);
      if (wanted && inTitle[d]) {
        const tl = data(d).title || 1;
        v = Math.fround(v + c.TITLE_CONTAINS * Math.min(wantedLength / tl, 1));
        if (tl === wantedLength) { v = Math.fround(v + c.TITLE_EXACT); }
      }
      if (idHits[d]) { v = Math.fround(v + c.ID_EXACT); }
      score.set(d, v);
    }
    const start = (page - 1) * perPage;
    const date = await this.ix.dates(sort === "date" ? docs : tiedAtTop(docs, score, start + perPage));
    docs.sort(sort === "date"
      ? (a, b) => date(b) - date(a) || score.get(b) - score.get(a) || a - b
      : (a, b) => score.get(b) - score.get(a) || date(b) - date(a) || a - b);
    const total = docs.length;
    const chosen = page >= 1 ? docs.slice(start, start + perPage) : [];
    const words = this.highlightWords(q);
    const hits = await Promise.all(chosen.map(async (d) => {
      const s = await this.ix.shows(d);
      return { ...s, doc: d, score: score.get(d), title_html: mark(s.title, words, this),
               snippet_html: snippetHtml(s.summary || "", words, false, this) || snippetHtml(s.summary || "", words, true, this) };
    }));
    return { query: q.raw, total, page, pages: Math.max(1, Math.ceil(total / perPage)), perPage, hits, facets,
             relaxed, searchable: clauses.length > 0 || Boolean(whole), capped: false, words };
  }
}

/* The documents whose order among the first `end` by score needs their dates: those that share
   a score with another document at or above the last place shown.  Only their dates are
   fetched; documents of different scores are never compared by date. */
function tiedAtTop(docs, score, end) {
  if (!docs.length || end <= 0) { return []; }
  const scores = docs.map((d) => score.get(d)).sort((a, b) => b - a);
  const cut = scores[Math.min(end, scores.length) - 1];
  const seen = new Map();
  for (const v of scores) { if (v < cut) { break; } seen.set(v, (seen.get(v) || 0) + 1); }
  return docs.filter((d) => (seen.get(score.get(d)) || 0) > 1);
}

/* ---------------------------------------------------------------- snippets (snippets.py) */

export function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

function pattern(words, norm) {
  const kept = unique(words.filter((w) => w.trim()).map(norm)).sort((a, b) => [...b].length - [...a].length);
  if (!kept.length) { return null; }
  return new RegExp(kept.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "giu");
}

// Matched on the folded text, marked on the text as written (snippets.mark): a simplified
// query marks the traditional or full-width text it found.
export function mark(text, words, searcher) {
  const norm = (t) => (searcher ? searcher.normalise(t) : t.toLowerCase());
  const re = pattern(words, norm);
  if (!re) { return escapeHtml(text); }
  const folded = norm(text);
  const hay = folded.length === text.length ? folded : text;
  let out = ""; let last = 0;
  for (const m of hay.matchAll(re)) {
    if (!m[0]) { continue; }
    out += escapeHtml(text.slice(last, m.index)) + `<mark>${escapeHtml(text.slice(m.index, m.index + m[0].length))}</mark>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

export function snippetHtml(text, words, always, searcher) {
  const norm = (t) => (searcher ? searcher.normalise(t) : t.toLowerCase());
  const wanted = unique(words).filter((w) => w.trim()).map(norm);
  let low = norm(text);
  if (low.length !== text.length) { low = text; }
  const firsts = wanted.map((w) => low.indexOf(w)).filter((p) => p >= 0).sort((a, b) => a - b);
  if (!firsts.length) {
    if (!always || !text) { return ""; }
    return escapeHtml(text.slice(0, SNIPPET_CHARS)) + (text.length > SNIPPET_CHARS ? "…" : "");
  }
  const distinct = (at) => {
    const win = low.slice(Math.max(0, at - SNIPPET_LEAD), Math.max(0, at - SNIPPET_LEAD + SNIPPET_CHARS));
    return wanted.filter((w) => win.includes(w)).length;
  };
  let best = firsts[0];
  for (const at of firsts) { if (distinct(at) > distinct(best)) { best = at; } }
  let start = Math.max(0, best - SNIPPET_LEAD);
  const newline = best > 0 ? text.lastIndexOf("\n", best - 1) : -1;
  if (newline >= start && newline < best) { start = newline + 1; }
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  const passage = text.slice(start, end).split(/\s+/).filter(Boolean).join(" ");
  return (start > 0 ? "…" : "") + mark(passage, words, searcher) + (end < text.length ? "…" : "");
}
