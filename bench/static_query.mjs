// Queries against a static search index in Node, as the browser runs them (theme/static/js/
// search-engine.js), with files read from disk: for tests and `make bench-search`.
//
//   node bench/static_query.mjs INDEX_FOLDER < queries.json > results.json
//
// queries.json: [{"text": "...", "page": 1, "sort": "relevance", "filters": {}}, ...].
// For each query: the top results' URLs, the total, facets, the milliseconds it took, and the
// bytes it fetched as a browser would receive them (the .br copy where there is one, else the
// file gzipped as a host compresses what it serves): "cold" with an empty cache for every query,
// "warm" with one cache for all.
import { readFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { StaticIndex, Searcher } from "../theme/static/js/search-engine.js";

const folder = process.argv[2];
const queries = JSON.parse(readFileSync(0, "utf-8"));

const sizes = new Map();
function sent(path) {
  if (!sizes.has(path)) {
    const br = join(folder, path + ".br");
    sizes.set(path, existsSync(br) ? statSync(br).size : gzipSync(readFileSync(join(folder, path)), { level: 6 }).length);
  }
  return sizes.get(path);
}

function loader(counter) {
  return async (path, kind) => {
    counter.bytes += sent(path);
    // What kind of file (the folder: b buckets, p posting lists, s shows, d directory, m meta).
    const part = path.includes("/") ? path.split("/")[0] : path.split(".")[0];
    counter.by[part] = (counter.by[part] || 0) + sent(path);
    counter.files += 1;
    const data = readFileSync(join(folder, path));
    if (kind === "json") { return JSON.parse(data.toString("utf-8")); }
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  };
}

const warmCounter = { bytes: 0, files: 0, by: {} };
const warm = new Searcher(new StaticIndex(loader(warmCounter)));
const out = [];
for (const q of queries) {
  const coldCounter = { bytes: 0, files: 0, by: {} };
  const cold = new Searcher(new StaticIndex(loader(coldCounter)));
  const options = { page: q.page || 1, sort: q.sort || "relevance", filters: q.filters || {} };
  let result; let error = null;
  const t0 = performance.now();
  try { result = await cold.search(q.text, options); } catch (e) { error = String(e.message || e); }
  const ms = performance.now() - t0;
  const before = warmCounter.bytes;
  const t1 = performance.now();
  try { await warm.search(q.text, options); } catch (e) { /* the same error as above */ }
  const warmMs = performance.now() - t1;
  out.push(error ? { error } : {
    total: result.total, urls: result.hits.map((h) => h.url), facets: result.facets, relaxed: result.relaxed,
    ms, warm_ms: warmMs, bytes: coldCounter.bytes, files: coldCounter.files, warm_bytes: warmCounter.bytes - before,
    bytes_by: coldCounter.by,
    titles: result.hits.map((h) => h.title_html),
  });
}
process.stdout.write(JSON.stringify(out));
