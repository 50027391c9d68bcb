/* The search page on a host with no search service: reads the query from the address, asks
   the static index (search-engine.js) and renders what the service's page renders for it,
   element for element (theme/templates/search.html and its components; service.py's _view
   for the messages, links and pagination).  Loaded as a module: no inline script (CSP). */
import { StaticIndex, Searcher, QueryError, escapeHtml, snippetHtml } from "./search-engine.js";

const PER_PAGE = 10;
const SORTS = [["relevance", "按相关度"], ["date", "按发布日期"]];
const PAGE_WINDOW = 2;   // foundation/display.py PAGE_WINDOW

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") { node.textContent = v; } else if (k === "html") { node.innerHTML = v; } else { node.setAttribute(k, v); }
  }
  for (const child of children) { if (child) { node.append(child); } }
  return node;
}

function pageWindow(number, total) {
  const shown = [...new Set([1, total, ...Array.from({ length: 2 * PAGE_WINDOW + 1 }, (_x, i) => number - PAGE_WINDOW + i)
    .filter((i) => i >= 1 && i <= total)])].sort((a, b) => a - b);
  const out = [];
  for (const i of shown) { if (out.length && i - (out[out.length - 1] || 0) > 1) { out.push(null); } out.push(i); }
  return out;
}

class Params {
  constructor(search) {
    const args = new URLSearchParams(search);
    this.q = (args.get("q") || "").split(/\s+/).filter(Boolean).join(" ");
    this.rawPage = (args.get("page") || "1").trim() || "1";
    this.sort = args.get("sort") || "relevance";
    this.filters = {};
    for (const name of ["column", "year"]) { const v = (args.get(name) || "").trim(); if (v) { this.filters[name] = v; } }
  }

  url(changes = {}) {
    const values = { q: this.q, ...(this.sort !== "relevance" ? { sort: this.sort } : {}), ...this.filters, ...changes };
    if (values.page === 1) { delete values.page; }
    if (values.sort === "relevance") { delete values.sort; }
    const clean = Object.entries(values).filter(([_k, v]) => v !== undefined && v !== null && v !== "");
    return clean.length ? `search/?${new URLSearchParams(clean.map(([k, v]) => [k, String(v)]))}` : "search/";
  }
}

function link(siteurl, url, text, current, extra = {}) {
  return current ? el("a", { href: `${siteurl}/${url}`, "aria-current": "page", class: "current", text, ...extra })
    : el("a", { href: `${siteurl}/${url}`, text, ...extra });
}

function facetsNav(siteurl, params, results, columnNames) {
  const nav = el("nav", { class: "filters", "aria-label": "筛选搜索结果" });
  for (const [name, label, counts, text] of [
    ["column", "栏目", results.facets.column, (k) => columnNames[k] || k],
    ["year", "年份", results.facets.year, (y) => `${y}年`]]) {
    const chosen = params.filters[name] || "";
    nav.append(el("h2", { text: `按${label}` }));
    const ul = el("ul", { class: "filter-options" });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    ul.append(el("li", {}, [link(siteurl, params.url({ [name]: "", page: 1 }), `全部${label}（${total}）`, !chosen)]));
    const keys = name === "year" ? Object.keys(counts).sort().reverse() : Object.keys(counts);
    for (const k of keys) {
      ul.append(el("li", {}, [link(siteurl, params.url({ [name]: k, page: 1 }), `${text(k)}（${counts[k]}）`, chosen === k)]));
    }
    nav.append(ul);
  }
  return nav;
}

function resultItem(siteurl, hit) {
  const title = el("h2", { class: "result-title" }, [el("a", { href: `${siteurl}/${hit.url}`, html: hit.title_html })]);
  if (hit.validity) { title.append(" ", el("span", { class: `tag tag-${hit.validity}`, text: `已${hit.validity}` })); }
  const meta = el("p", { class: "result-meta" });
  const column = hit.column !== "pages" ? el("a", { href: `${siteurl}/${hit.column}/`, text: hit.column_name }) : hit.column_name;
  meta.append(el("span", {}, ["栏目：", column]));
  meta.append(el("span", {}, ["发布日期：", el("time", { datetime: hit.date, text: hit.date })]));
  if (hit.index_no) { meta.append(el("span", { text: `索引号：${hit.index_no}` })); }
  if (hit.doc_no) { meta.append(el("span", { text: `文号：${hit.doc_no}` })); }
  const li = el("li", { class: "search-result" }, [title]);
  const snippet = el("p", { class: "snippet", html: hit.snippet_html });
  if (!hit.snippet_html) { snippet.hidden = true; }
  li.append(snippet, meta);
  return { li, snippet };
}

function paginationNav(siteurl, params, results) {
  if (results.pages <= 1) { return null; }
  const n = results.page; const total = results.pages;
  const nav = el("nav", { class: "pagination", "aria-label": "分页" });
  nav.append(el("p", { text: `共 ${results.total} 条，第 ${n} / ${total} 页` }));
  const ul = el("ul");
  if (n > 1) { ul.append(el("li", {}, [el("a", { href: `${siteurl}/${params.url({ page: n - 1 })}`, rel: "prev", text: "上一页" })])); }
  for (const i of pageWindow(n, total)) {
    if (i === n) { ul.append(el("li", {}, [el("span", { "aria-current": "page", text: String(i) })])); }
    else if (i === null) { ul.append(el("li", {}, [el("span", { class: "gap", "aria-hidden": "true", text: "…" })])); }
    else { ul.append(el("li", {}, [el("a", { href: `${siteurl}/${params.url({ page: i })}`, text: String(i) })])); }
  }
  if (n < total) { ul.append(el("li", {}, [el("a", { href: `${siteurl}/${params.url({ page: n + 1 })}`, rel: "next", text: "下一页" })])); }
  nav.append(ul);
  return nav;
}

async function bodyText(siteurl, url) {
  /* The text of a result's own page, for its snippet: the page is published anyway, and a
     browser that opens the result next has it cached. */
  const response = await fetch(`${siteurl}/${url}`);
  if (!response.ok) { return ""; }
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const main = doc.querySelector(".entry-body") || doc.querySelector("main");
  return main ? main.innerText || main.textContent || "" : "";
}

function message(text) { return el("p", { class: "search-message", role: "alert", text }); }

async function run(box) {
  const siteurl = box.dataset.siteurl || "";
  const params = new Params(window.location.search);
  const input = document.getElementById("q");
  if (input) { input.value = params.q; }
  if (!params.q) { return; }
  document.title = `搜索：${params.q} - ${document.title.split(" - ").slice(1).join(" - ")}`;
  const out = [];
  const page = /^[0-9]{1,9}$/.test(params.rawPage) && Number(params.rawPage) >= 1 && Number(params.rawPage) <= 999999
    ? Number(params.rawPage) : null;
  if (page === null) { box.append(message(`页码「${params.rawPage.slice(0, 20)}」不对，页码应为从 1 开始的整数。`)); return; }
  if (!SORTS.some(([k]) => k === params.sort)) { box.append(message("排序方式只能是 relevance（按相关度）或 date（按发布日期）。")); return; }
  const base = new URL(box.dataset.staticSearch, window.location.href);
  const index = new StaticIndex(async (path, kind) => {
    const response = await fetch(new URL(path, base));
    if (!response.ok) { throw new Error(`${response.status} ${path}`); }
    return kind === "json" ? response.json() : response.arrayBuffer();
  });
  const searcher = new Searcher(index);
  let results;
  try {
    results = await searcher.search(params.q, { page, perPage: PER_PAGE, sort: params.sort, filters: params.filters });
  } catch (e) {
    if (e instanceof QueryError) { box.append(message(`${e.message}，请缩短后再搜索。`)); return; }
    box.append(message("搜索暂时不可用：无法读取本站的搜索索引，请稍后再试，或在各栏目的列表中查找。"));
    return;
  }
  if (results.total && page > results.pages) {
    box.append(message(`第 ${page} 页超出了搜索结果的范围：共 ${results.total} 条，${results.pages} 页。`));
    return;
  }
  const q = escapeHtml(params.q);
  if (!results.searchable) {
    out.push(el("p", { class: "search-summary", html: `「${q}」里没有可以搜索的字词，请换用中文词语、文号或索引号。` }));
  } else if (results.total === 0) {
    out.push(el("p", { class: "search-summary", html: `没有找到与「${q}」相关的信息。可以减少或更换搜索词，或去掉筛选条件。` }));
  } else {
    const relaxed = results.relaxed ? "（没有同时包含全部搜索词的信息，以下结果包含其中部分词语）" : "";
    out.push(el("p", { class: "search-summary", role: "status", html: `找到 ${results.total} 条与「${q}」相关的信息${relaxed}。` }));
  }
  const snippets = [];
  if (results.total) {
    const columnNames = Object.fromEntries(index.manifest.columns);
    const layout = el("div", { class: "listing-layout" }, [facetsNav(siteurl, params, results, columnNames)]);
    const main = el("div", { class: "listing-main" });
    const sortLine = el("p", { class: "search-sort", text: "排序：" });
    SORTS.forEach(([key, label], i) => {
      sortLine.append(params.sort === key ? el("strong", { "aria-current": "true", text: label })
        : el("a", { href: `${siteurl}/${params.url({ sort: key, page: 1 })}`, text: label }));
      if (i < SORTS.length - 1) { sortLine.append(" · "); }
    });
    const list = el("ol", { class: "search-results", start: String((page - 1) * PER_PAGE + 1) });
    for (const hit of results.hits) {
      const { li, snippet } = resultItem(siteurl, hit);
      list.append(li);
      snippets.push([hit, snippet]);
    }
    main.append(sortLine, list);
    const nav = paginationNav(siteurl, params, results);
    if (nav) { main.append(nav); }
    layout.append(main);
    out.push(layout);
  }
  box.replaceChildren(...out);
  // Snippets from each result's page, as the service cuts them from the stored body.
  await Promise.all(snippets.map(async ([hit, node]) => {
    try {
      const html = snippetHtml(await bodyText(siteurl, hit.url), results.words, false, searcher);
      if (html) { node.innerHTML = html; node.hidden = false; }
    } catch (e) { /* the summary stays */ }
  }));
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-static-search]");
  if (box) { run(box); }
});
