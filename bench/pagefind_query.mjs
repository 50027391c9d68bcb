// Run known-item queries against a Pagefind bundle in Node, as a browser would.
// usage: node pagefind_query.mjs <site folder> <bundle subfolder> <queries.json> <results.json>
// queries.json: ["query", ...]; results.json: [{"urls": [...top 10...], "ms": n}, ...]
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [site, sub, queriesPath, outPath] = process.argv.slice(2);
const bundle = path.resolve(site, sub);

// pagefind.js fetches its index chunks relative to its own URL; Node's fetch
// has no file: scheme, so serve those reads from disk.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, opts) => {
  const u = String(url);
  if (u.startsWith("file:")) {
    const data = await readFile(new URL(u));
    return new Response(data, { status: 200 });
  }
  return realFetch(url, opts);
};

const pagefind = await import(pathToFileURL(path.join(bundle, "pagefind.js")).href);
await pagefind.options({ basePath: pathToFileURL(bundle).href + "/", baseUrl: "/", excerptLength: 30 });
await pagefind.init();
const queries = JSON.parse(await readFile(queriesPath, "utf8"));
const out = [];
for (const q of queries) {
  const t0 = performance.now();
  const search = await pagefind.search(q);
  const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  const ms = performance.now() - t0;
  out.push({ urls: top.map((d) => d.url), total: search.results.length, ms });
}
await writeFile(outPath, JSON.stringify(out));
