"""Search benchmark: quality and speed of xxgk's search on a real corpus (make bench-search).

    python -m bench.search_bench [--corpus ../shared/corpus/laws] [--scale 20000] [--no-pagefind]

Measures, on CORPUS (a folder laid out like ../shared/corpus/laws, read in place):

* segmenters: jieba vs rjieba `cut` speed and agreement (the choice in plugins/search/engine/analysis.py);
* quality: MRR@10 and recall@10 of known-item queries derived from titles —
  whole titles without 「中华人民共和国」 and a trailing date, two distinctive
  title words, partial titles — for xxgk and for Pagefind over the same built pages;
* speed: full and one-edit incremental index time, index size, peak memory,
  query latency p50/p95 in process and over HTTP, at the corpus size (a real
  Pelican build of the whole site) and at SCALE documents made from it (the
  index alone: varied titles and dates, the same bodies).

Every phase runs in a fresh child process, so each peak-memory figure is that
phase's own.  Results are printed as a Markdown table and saved as JSON.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.parse
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "laws"
ORG = "11120116MB1K23456X"
EDIT_WORD = "基准增量编辑专用词"
STATE = "中华人民共和国"
REGIONS = ("天津市", "滨海新区", "东疆综合保税区", "河北省", "北京市", "上海市", "广东省", "浙江省")
VARIANTS = ("关于贯彻落实《{t}》的实施意见", "关于印发《{t}》配套办法的通知", "{r}{t}实施细则",
            "{t}（{y}年修订征求意见稿）", "关于学习宣传《{t}》的通知", "{r}关于执行《{t}》若干问题的说明")


# --- the corpus -----------------------------------------------------------------

@dataclass
class Law:
    rel: str
    title: str
    date: dt.date
    body: str


_FILE_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")
_TEXT_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def load_corpus(folder: Path) -> list[Law]:
    laws = []
    for path in sorted(folder.rglob("*.md")):
        if path.name == "_index.md":
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), path.stem)
        head, sep, rest = text.partition("<!-- INFO END -->")
        body = rest if sep else "\n".join(ln for ln in lines if not ln.startswith("# "))
        m = _FILE_DATE.search(path.name) or _TEXT_DATE.search(head if sep else text[:500])
        try:
            date = dt.date(int(m[1]), int(m[2]), int(m[3])) if m else dt.date(2000, 1, 1)
        except ValueError:
            date = dt.date(2000, 1, 1)
        laws.append(Law(path.relative_to(folder).as_posix(), title, min(date, dt.date(2025, 12, 31)),
                        body.strip()))
    return laws


def variant(laws: list[Law], n: int) -> tuple[Law, str]:
    """Document n of a scaled corpus: the corpus itself first, then varied copies (title, date, opening)."""
    law = laws[n % len(laws)]
    k = n // len(laws)
    if k == 0:
        return law, law.title
    rnd = random.Random(n)
    t = law.title.replace(STATE, "")
    region, year = rnd.choice(REGIONS), rnd.randint(2001, 2025)
    title = rnd.choice(VARIANTS).format(t=t, r=region, y=year)
    date = dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
    paras = law.body.split("\n\n")
    cut = rnd.randint(0, max(0, len(paras) - 1))
    body = f"{region}{year}年{rnd.randint(1, 12)}月印发。\n\n" + "\n\n".join(paras[cut:] + paras[:cut])
    return Law(law.rel, title, date, body), title


# --- queries ------------------------------------------------------------------

@dataclass
class Q:
    kind: str
    text: str
    relevant: list[int]            # documents with the title the query was made from


def _strip_title(title: str) -> str:
    """The title without the state's name and without a trailing version date such as (2019-04-03)."""
    t = title.replace(STATE, "")
    return re.sub(r"[(（]\d{4}-\d{2}-\d{2}[)）]$", "", t).strip()


def make_queries(laws: list[Law], seed: int = 20240501, sample: int = 300) -> list[Q]:
    import rjieba

    # Versions of one law share a title; titles differing only in punctuation or
    # spaces (「最高人民法院 最高人民检察院」) are the same title.
    same: dict[str, list[int]] = {}
    for i, law in enumerate(laws):
        same.setdefault(re.sub(r"[\W_]+", "", law.title), []).append(i)
    by_title = {law.title: same[re.sub(r"[\W_]+", "", law.title)] for law in laws}
    titles = sorted({laws[group[0]].title for group in same.values()})
    rnd = random.Random(seed)
    out = [Q("title", _strip_title(t), by_title[t]) for t in titles if _strip_title(t)]
    words_of = {t: [w for w in rjieba.cut(_strip_title(t)) if len(w) >= 2 and re.match(r"\w+$", w)] for t in titles}
    df: dict[str, int] = {}
    for ws in words_of.values():
        for w in set(ws):
            df[w] = df.get(w, 0) + 1
    distinct, partial = [], []
    for t in titles:
        ws = words_of[t]
        if len(ws) >= 3:
            rare = sorted(set(ws), key=lambda w: (df[w], -len(w)))[:2]
            distinct.append(Q("words", " ".join(sorted(rare, key=ws.index)), by_title[t]))
        core = _strip_title(t)
        cut = [w for w in rjieba.cut(core)]
        if len(cut) >= 4:
            part = "".join(cut[1:]) if rnd.random() < 0.5 else "".join(cut[:-1])
            if len(part) >= 4 and part != core:
                partial.append(Q("partial", part, by_title[t]))
    rnd.shuffle(distinct)
    rnd.shuffle(partial)
    return out + distinct[:sample] + partial[:sample] + fragments(laws, rnd, sample)


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{8,}")


def fragments(laws: list[Law], rnd: random.Random, sample: int) -> list[Q]:
    """Body fragments (issue 19): exact runs of 8–14 Han characters copied from inside a body,
    each occurring in exactly one document of the corpus, so that the one right answer is known."""
    bodies = [law.body for law in laws]
    everything = "\u0000".join(bodies)
    out: list[Q] = []
    tries = 0
    while len(out) < sample and tries < sample * 20:
        tries += 1
        i = rnd.randrange(len(laws))
        runs = _HAN_RUN.findall(bodies[i])
        if not runs:
            continue
        run = rnd.choice(runs)
        size = rnd.randint(8, min(14, len(run)))
        start = rnd.randint(0, len(run) - size)
        text = run[start:start + size]
        first = everything.find(text)
        if everything.find(text, first + 1) == -1:   # in one document, once
            out.append(Q("fragment", text, [i]))
    return out


# Quoted phrases (issue 19): broad and rare, 2 to 6 characters; their right answer is every
# document that holds the string, so they are measured for exactness and speed, not rank.
PHRASES = ("人民政府", "安全生产", "行政处罚", "税", "公开", "数据安全", "冷链物流", "非法集资活动", "突发事件应对",
           "个人信息", "海关", "营商环境")


def score(ranked: list[list[int]], queries: list[Q]) -> dict[str, dict[str, float]]:
    """MRR@10 and recall@10 per kind of query and overall."""
    groups: dict[str, list[tuple[float, float]]] = {}
    for got, q in zip(ranked, queries):
        rr = next((1.0 / (i + 1) for i, d in enumerate(got[:10]) if d in q.relevant), 0.0)
        rec = 1.0 if any(d in q.relevant for d in got[:10]) else 0.0
        for key in (q.kind, "all"):
            groups.setdefault(key, []).append((rr, rec))
    return {k: {"n": len(v), "mrr10": sum(a for a, _ in v) / len(v), "recall10": sum(b for _, b in v) / len(v)}
            for k, v in groups.items()}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- phases (each in its own process) ---------------------------------------

def phase_segmenters(args: dict[str, Any]) -> dict[str, Any]:
    import jieba
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [law.title + "\n" + law.body for law in load_corpus(Path(args["corpus"]))]
    chars = sum(map(len, texts))
    rjieba.cut("预热")
    out: dict[str, Any] = {"docs": len(texts), "chars": chars}
    results = {}
    for name, cut in (("rjieba", lambda t: rjieba.cut(t, hmm=True)), ("jieba", lambda t: jieba.lcut(t, HMM=True))):
        t0 = time.perf_counter()
        results[name] = [cut(t) for t in texts]
        secs = time.perf_counter() - t0
        out[name] = {"seconds": secs, "mchars_per_s": chars / secs / 1e6}
    out["identical_docs"] = sum(a == b for a, b in zip(results["rjieba"], results["jieba"]))
    return out


def _fake_entry(law: Law, n: int, edit: bool = False) -> Any:
    """What docs.source reads from a Pelican entry, for documents that skip Pelican."""
    year = law.date.year
    body = law.body + (f"\n\n本条修改后新增：{EDIT_WORD}。" if edit else "")
    markup = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    meta = {"column": "tzgg", "title": law.title, "index_no": f"{ORG}/{year}-{n % 99999 + 1:05d}",
            "topic": "综合政务\\政务公开", "publisher": "党政办公室", "validity": "有效", "genre": "其他",
            "summary": law.body.strip().split("\n")[0][:100]}
    date = dt.datetime.combine(law.date, dt.time())
    return types.SimpleNamespace(url=f"tzgg/{n:06d}.html", title=law.title, date=date, content=markup, _content=markup,
                                 metadata=meta)


def _sources(laws: list[Law], count: int, edited: int | None = None) -> list[Any]:
    from plugins.search import docs, store

    out = []
    for n in range(count):
        def build(n: int = n) -> Any:
            law, _t = variant(laws, n)
            return docs.source(_fake_entry(law, n, edit=(n == edited))).build()
        # The digest names the document's origin: enough to tell an edit, without holding 20k bodies.
        out.append(store.Source(f"tzgg/{n:06d}.html", f"{n}/{n == edited}", build))
    return out


def phase_index(args: dict[str, Any]) -> dict[str, Any]:
    """Full index of SCALE documents, then one edited document, at the engine level (no Pelican)."""
    from plugins.search import docs, store

    laws = load_corpus(Path(args["corpus"]))
    count = args["scale"]
    cache = Path(args["work"]) / "cache"
    t0 = time.perf_counter()
    gen, stats = store.update_index(cache, docs.spec(), _sources(laws, count))
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    gen, inc = store.update_index(cache, docs.spec(), _sources(laws, count, edited=7))
    incremental = time.perf_counter() - t0
    out_dir = Path(args["work"]) / "output"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "index.html").write_text("<!doctype html><title>bench</title>", encoding="utf-8")
    store.publish(gen, out_dir, {"templates": {}, "jinja": {}, "context": {}}, inc)
    return {"docs": count, "full_s": full, "analysed_full": stats.analysed, "incremental_s": incremental,
            "analysed_incremental": inc.analysed, "size_mb": folder_size(gen) / 2**20,
            "peak_mb": peak_mb(), "output": str(out_dir)}


def _quoted(searcher: Any, truth: dict[str, int]) -> dict[str, Any]:
    """Each quoted phrase three times (p95 over all): its time, and whether its total is the
    number of documents that hold the string (`truth`, counted in the corpus)."""
    times, rows = [], []
    for text in PHRASES:
        for _ in range(3):
            t = time.perf_counter()
            res = searcher.search(f'"{text}"')
            times.append((time.perf_counter() - t) * 1000)
        rows.append({"query": text, "total": res.total, "holding": truth.get(text)})
    exact = sum(1 for r in rows if r["holding"] is not None and r["total"] == r["holding"])
    return {"p50": pct(times, 50), "p95": pct(times, 95), "max": max(times), "rows": rows, "exact": exact,
            "n": len(rows)}


def phrase_truth(laws: list[Law], count: int | None = None) -> dict[str, int]:
    """How many documents of the corpus (or of its scaled version of `count`) hold each quoted
    phrase in their title or body."""
    out = dict.fromkeys(PHRASES, 0)
    for n in range(count or len(laws)):
        law, _title = variant(laws, n)
        for p in PHRASES:
            out[p] += p in law.title or p in law.body
    return out


def _latency(index: Path, queries: list[Q], url_to_doc: dict[str, int],
             truth: dict[str, int] | None = None, copies: dict[str, int] | None = None) -> dict[str, Any]:
    """Every query twice against the index in `index` (the first pass with empty posting caches).

    `copies` (scaled corpus) maps every document to the law it varies: a body fragment is in
    every copy of its law, and each of them is a right answer (titles differ between copies,
    so for the other kinds only the original is)."""
    from plugins.search import engine

    t0 = time.perf_counter()
    searcher = engine.Searcher(index)
    opened = time.perf_counter() - t0
    runs: list[list[float]] = []
    ranked: list[list[int]] = []
    for rnd in range(2):
        times = []
        for q in queries:
            t = time.perf_counter()
            res = searcher.search(q.text)
            times.append((time.perf_counter() - t) * 1000)
            if rnd == 0:
                mapping = copies if copies and q.kind == "fragment" else url_to_doc
                ranked.append([mapping.get(h.url, -1) for h in res.hits])
        runs.append(times)
    broad = []
    for word in ("规定", "管理", "条例 办法", "国家"):
        t = time.perf_counter()
        res = searcher.search(word)
        broad.append({"query": word, "total": res.total, "ms": (time.perf_counter() - t) * 1000})
    phrase = []
    for text in ('"安全生产"', '"人民政府"'):
        t = time.perf_counter()
        res = searcher.search(text)
        phrase.append({"query": text, "total": res.total, "ms": (time.perf_counter() - t) * 1000})
    quoted = _quoted(searcher, truth or {})
    searcher.close()
    cold, warm = runs
    return {"open_s": opened, "cold": {"p50": pct(cold, 50), "p95": pct(cold, 95), "max": max(cold)},
            "warm": {"p50": pct(warm, 50), "p95": pct(warm, 95), "max": max(warm)},
            "quality": score(ranked, queries), "broad": broad, "phrase": phrase, "quoted": quoted}


def phase_query(args: dict[str, Any]) -> dict[str, Any]:
    """Every query in process against the published index: quality (at corpus size) and latency."""
    from plugins.search import store

    queries = [Q(**q) for q in args["queries"]]
    gen = store.published(Path(args["output"]))
    return {**_latency(gen / store.INDEX_DIR, queries, args["url_to_doc"], args.get("truth"), args.get("copies")),
            "peak_mb": peak_mb()}


def _segments(index: Path) -> int:
    from whoosh import index as windex

    ix = windex.open_dir(str(index))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def phase_aged(args: dict[str, Any]) -> dict[str, Any]:
    """The published index after `edits` one-document edits, each its own update and commit
    as an edit rebuild makes them (Whoosh merges small segments as it goes): how many
    segments it has then, and query latency against it (a copy; the site is left alone)."""
    import numpy as np

    from plugins.search import docs, engine, store

    queries = [Q(**q) for q in args["queries"]]
    index = Path(args["work"])
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(store.published(Path(args["output"])) / store.INDEX_DIR, index)
    before = _segments(index)
    searcher = engine.Searcher(index)
    live = np.flatnonzero(searcher.live)
    edited = []
    for d in live[:: max(1, len(live) // args["edits"])][: args["edits"]]:
        show = dict(searcher.shows[int(d)])
        body = searcher.stored_body(int(d)) + "\n本文已于今日修订。"
        edited.append(engine.IndexDoc(
            key=show["key"], text={"title": show["title"], "summary": show.get("summary", ""), docs.BODY: body},
            ids={"index_no": show.get("index_no", ""), "doc_no": show.get("doc_no", "")},
            keywords={"column": show["column"], "date": show["date"], docs.YEAR: show["date"][:4]},
            show=show, body=body))
    searcher.close()
    update_s = []
    for doc in edited:
        t = time.perf_counter()
        engine.update(index, [doc], [doc.key])
        update_s.append(time.perf_counter() - t)
    result = {"edits": len(edited), "segments_before": before, "segments_after": _segments(index),
              "update_p50_s": pct(update_s, 50), **_latency(index, queries, {})}
    shutil.rmtree(index, ignore_errors=True)
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float) -> None:
    """Until the server started as `server` accepts connections on `port` (or fail)."""
    deadline = time.time() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("search service did not start") from None
            time.sleep(0.2)


def phase_http(args: dict[str, Any]) -> dict[str, Any]:
    """The same queries over HTTP: the site app of `make serve` (waitress) in its own process, keep-alive.

    Started directly rather than through `xxgk serve`, which first rebuilds the project's own site.
    """
    port = _free_port()
    code = ("import sys, waitress; from pathlib import Path; from xxgk.serve import site_app; "
            "waitress.serve(site_app(Path(sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]), threads=8, "
            "_quiet=True)")
    server = subprocess.Popen([sys.executable, "-c", code, args["output"], str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, server, 30)
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        runs = []
        for _ in range(2):
            times = []
            for q in args["queries"]:
                path = "/search.json?" + urllib.parse.urlencode({"q": q["text"]})
                t = time.perf_counter()
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                times.append((time.perf_counter() - t) * 1000)
                if resp.status != 200:
                    raise RuntimeError(f"{path}: HTTP {resp.status}")
            runs.append(times)
        page = "/search?" + urllib.parse.urlencode({"q": args["queries"][0]["text"]})
        conn.request("GET", page)
        resp = conn.getresponse()
        resp.read()
        conn.close()
    finally:
        server.terminate()
        server.wait(10)
    cold, warm = runs
    return {"cold": {"p50": pct(cold, 50), "p95": pct(cold, 95)}, "warm": {"p50": pct(warm, 50), "p95": pct(warm, 95)},
            "html_status": resp.status}


def write_site(laws: list[Law], content: Path) -> None:
    """The corpus as xxgk content: one 通知公告 entry per law."""
    from tests.sitekit import Site, entry_text

    Site(content.parent)  # the statutory pages every site must have
    serials: dict[int, int] = {}
    for n, law in enumerate(laws):
        year = law.date.year
        serials[year] = serials.get(year, 0) + 1
        first = next((ln.strip() for ln in law.body.splitlines() if ln.strip() and not ln.startswith("#")), "")
        summary = re.sub(r"\s+", " ", first)[:120] or law.title
        text = entry_text("tzgg", serials[year], year, body=law.body, title=law.title, date=law.date.isoformat(),
                          written_date=law.date.isoformat(), summary=summary, genre="其他")
        path = content / "tzgg" / str(year) / f"{year}-{serials[year]:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def phase_build(args: dict[str, Any]) -> dict[str, Any]:
    """One Pelican build of the corpus site (with or without the search plugin)."""
    import logging

    from plugins.search import store
    from xxgk.build import build, load_settings

    logging.disable(logging.WARNING)
    site = Path(args["site"])
    overrides: dict[str, Any] = {"PATH": str(site / "content"), "SEARCH_CACHE_PATH": str(site / "cache")}
    if not args["search"]:
        from pelicanconf import PLUGINS
        overrides["PLUGINS"] = [p for p in PLUGINS if p != "plugins.search"]
    out = site / ("output" if args["search"] else "output-nosearch")
    t0 = time.perf_counter()
    build(load_settings(ROOT, output=out, overrides=overrides))
    secs = time.perf_counter() - t0
    res: dict[str, Any] = {"seconds": secs, "peak_mb": peak_mb(), "output": str(out)}
    if args["search"]:
        stats = store.build_stats(out)
        res.update(index_s=stats.seconds, analysed=stats.analysed, full=stats.full_rebuild,
                   size_mb=folder_size(store.published(out) / store.INDEX_DIR) / 2**20)
    return res


def phase_pagefind(args: dict[str, Any]) -> dict[str, Any]:
    """Pagefind (extended: Chinese segmentation) over the built pages, then the same queries in Node."""
    site = Path(args["output"])
    # Index only the document pages, as xxgk's index does (listings would only add noise).
    glob = "tzgg/[0-9]*.html"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind",
                           "--glob", glob, "--force-language", "zh-cn"], capture_output=True, text=True)
    secs = time.perf_counter() - t0
    indexed = re.search(r"Indexed (\d+) pages", proc.stdout)
    if proc.returncode != 0 or not indexed:
        return {"error": (proc.stderr or proc.stdout)[-800:]}
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    work = Path(args["work"])
    qfile, rfile = work / "pf-queries.json", work / "pf-results.json"
    phrases = [f'"{p}"' for p in PHRASES]
    qfile.write_text(json.dumps([q["text"] for q in args["queries"]] + phrases, ensure_ascii=False),
                     encoding="utf-8")
    node = shutil.which("node")
    if not node:
        return {"index_s": secs, "peak_mb": child_peak, "error": "node 不可用，无法运行 Pagefind 的检索"}
    proc = subprocess.run([node, str(ROOT / "bench" / "pagefind_query.mjs"), str(site), "pagefind", str(qfile),
                           str(rfile)], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"index_s": secs, "peak_mb": child_peak, "error": proc.stderr[-800:]}
    results = json.loads(rfile.read_text(encoding="utf-8"))
    results, quoted = results[:len(results) - len(phrases)], results[len(results) - len(phrases):]
    truth = args.get("truth") or {}
    rows = [{"query": p, "total": r["total"], "holding": truth.get(p)} for p, r in zip(PHRASES, quoted)]
    quoted_ms = [r["ms"] for r in quoted]
    url_to_doc = args["url_to_doc"]
    ranked = []
    for r in results:
        ranked.append([url_to_doc[u.lstrip("/")] for u in r["urls"] if u.lstrip("/") in url_to_doc])
    ms = [r["ms"] for r in results]
    queries = [Q(**q) for q in args["queries"]]
    return {"index_s": secs, "peak_mb": child_peak, "size_mb": folder_size(site / "pagefind") / 2**20,
            "pages": int(indexed[1]),
            "quality": score(ranked, queries), "p50": pct(ms, 50), "p95": pct(ms, 95),
            "quoted": {"p50": pct(quoted_ms, 50), "p95": pct(quoted_ms, 95), "rows": rows, "n": len(rows),
                       "exact": sum(1 for r in rows if r["holding"] is not None and r["total"] == r["holding"])}}


def phase_whoosh_native(args: dict[str, Any]) -> dict[str, Any]:
    """The same queries through Whoosh's own matchers and BM25F scorer, on the same index (for comparison).

    AND over the query's words, each word OR-ed over the text fields with the
    schema's boosts, top 10 plus the total — what the engine does, minus the
    title and identifier rules.  Shows why plugins/search/engine/searcher.py evaluates queries itself.
    """
    from whoosh import index as windex
    from whoosh import query as wq
    from whoosh.scoring import BM25F

    from plugins.search import engine, store

    gen = store.published(Path(args["output"])) / store.INDEX_DIR
    fields = engine.text_fields(engine.read_spec(gen))
    ix = windex.open_dir(str(gen))
    times = []
    with ix.searcher(weighting=BM25F()) as s:
        for q in args["queries"]:
            words = engine.query_words(q["text"])
            if not words:
                continue
            query = wq.And([wq.Or([wq.Term(f"t_{name}", w, boost=boost) for name, boost in fields]) for w in words])
            t = time.perf_counter()
            res = s.search(query, limit=10)
            len(res)
            times.append((time.perf_counter() - t) * 1000)
        broad = []
        for text in ("规定", "管理", "条例 办法", "国家"):
            query = wq.And([wq.Or([wq.Term(f"t_{name}", w, boost=boost) for name, boost in fields])
                            for w in engine.query_words(text)])
            t = time.perf_counter()
            res = s.search(query, limit=10)
            broad.append({"query": text, "total": len(res), "ms": (time.perf_counter() - t) * 1000})
    return {"p50": pct(times, 50), "p95": pct(times, 95), "max": max(times), "broad": broad}


def _compressed(path: Path) -> int:
    """Bytes a browser receives for a file: its .br copy if the build wrote one, else gzip of it."""
    import gzip

    br = path.with_name(path.name + ".br")
    return br.stat().st_size if br.is_file() else len(gzip.compress(path.read_bytes(), 9))


def phase_static(args: dict[str, Any]) -> dict[str, Any]:
    """Search without a server: the static index (exported here if the build did not, timed
    either way), every query in Node through the browser's engine, beside the service."""
    from plugins.search import engine, store

    out = Path(args["output"])
    gen = store.published(out)
    folder = out / store.OUTPUT_DIR / store.STATIC_DIR
    t0 = time.perf_counter()
    scratch = Path(args["work"]) / f"static-{time.time_ns()}"
    engine.export(gen / store.INDEX_DIR, scratch)
    export_s = time.perf_counter() - t0
    if not (folder / engine.STATIC_MANIFEST).is_file():
        shutil.copytree(scratch, folder)
    shutil.rmtree(scratch, ignore_errors=True)
    plain = [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith((".gz", ".br"))]
    all_files = [p for p in folder.rglob("*") if p.is_file()]
    script = sum(_compressed(ROOT / "theme" / "static" / "js" / n) for n in ("search-engine.js", "search-page.js"))
    queries = [Q(**q) for q in args["queries"]]
    asked = [{"text": q.text} for q in queries] + [{"text": f'"{p}"'} for p in PHRASES]
    node = shutil.which("node")
    if not node:
        return {"error": "node 不可用"}
    proc = subprocess.run([node, str(ROOT / "bench" / "static_query.mjs"), str(folder)], input=json.dumps(asked),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-800:]}
    answers = json.loads(proc.stdout)
    answers, quoted = answers[:len(queries)], answers[len(queries):]
    searcher = engine.Searcher(gen / store.INDEX_DIR)
    url_to_doc, copies = args["url_to_doc"], args.get("copies")
    ranked, overlaps, agree = [], [], 0
    for q, a in zip(queries, answers):
        mapping = copies if copies and q.kind == "fragment" else url_to_doc
        urls = a.get("urls", [])
        ranked.append([mapping.get(u, -1) for u in urls])
        service = [h.url for h in searcher.search(q.text).hits]
        if service:
            overlaps.append(len(set(urls) & set(service)) / len(service))
        agree += urls == service
    truth = args.get("truth") or {}
    rows = [{"query": p, "total": a.get("total"), "holding": truth.get(p)} for p, a in zip(PHRASES, quoted)]
    searcher.close()
    cold = [a["bytes"] + script for a in answers if "bytes" in a]
    warm = [a["warm_bytes"] for a in answers if "warm_bytes" in a]
    ms = [a["ms"] for a in answers if "ms" in a]
    warm_ms = [a["warm_ms"] for a in answers if "warm_ms" in a]
    return {"export_s": export_s, "files": len(all_files), "plain_files": len(plain),
            "size_mb": sum(p.stat().st_size for p in plain) / 2**20,
            "compressed_mb": sum(_compressed(p) for p in plain) / 2**20, "script_kb": script / 1024,
            "quality": score(ranked, queries), "overlap10": sum(overlaps) / max(len(overlaps), 1),
            "identical_top10": agree / max(len(queries), 1),
            "cold_kb": {"p50": pct(cold, 50) / 1024, "p95": pct(cold, 95) / 1024},
            "warm_kb": {"p50": pct(warm, 50) / 1024, "p95": pct(warm, 95) / 1024},
            "files_per_query": {"p50": pct([a["files"] for a in answers if "files" in a], 50)},
            "ms": {"p50": pct(ms, 50), "p95": pct(ms, 95)}, "warm_ms": {"p50": pct(warm_ms, 50), "p95": pct(warm_ms, 95)},
            "quoted": {"rows": rows, "n": len(rows),
                       "exact": sum(1 for r in rows if r["holding"] is not None and r["total"] == r["holding"])},
            "peak_mb": peak_mb()}


PHASES = {"segmenters": phase_segmenters, "static": phase_static, "index": phase_index, "query": phase_query, "aged": phase_aged,
          "http": phase_http,
          "build": phase_build, "pagefind": phase_pagefind, "whoosh_native": phase_whoosh_native}


def run(phase: str, **args: Any) -> dict[str, Any]:
    """Run a phase in a fresh Python process and return its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(args, fh, ensure_ascii=False)
    try:
        proc = subprocess.run([sys.executable, "-m", f"bench.{Path(__file__).stem}", "--phase", phase, "--args", fh.name], cwd=ROOT,
                              capture_output=True, text=True)
    finally:
        os.unlink(fh.name)
    if proc.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the report ---------------------------------------------------------------

def report(r: dict[str, Any]) -> str:
    lines = [f"# xxgk search benchmark — {r['corpus']} ({r['docs']} documents, {r['queries']} queries)", ""]
    s = r.get("segmenters")
    if s:
        lines += ["## Segmenters (`cut`, HMM on, whole corpus)", "",
                  "| segmenter | seconds | M chars/s |", "|---|---|---|"]
        for name in ("jieba", "rjieba"):
            lines.append(f"| {name} | {s[name]['seconds']:.2f} | {s[name]['mchars_per_s']:.2f} |")
        lines += ["", f"Identical output on {s['identical_docs']} of {s['docs']} documents "
                  f"({s['chars'] / 1e6:.1f} M characters).", ""]
    lines += ["## Known-item quality (top 10)", "",
              "| engine | kind | queries | MRR@10 | recall@10 |", "|---|---|---|---|---|"]
    for engine_name, quality in (("xxgk (Whoosh + rjieba)", r["small"]["query"]["quality"]),
                                 ("Pagefind extended", r.get("pagefind", {}).get("quality", {})),
                                 (f"xxgk at {r.get('big', {}).get('index', {}).get('docs', '—')} documents "
                                  "(the law among its varied copies)", r.get("big", {}).get("query", {}).get("quality", {}))):
        for kind in ("title", "words", "partial", "fragment", "all"):
            if kind in quality:
                q = quality[kind]
                lines.append(f"| {engine_name} | {kind} | {q['n']} | {q['mrr10']:.3f} | {q['recall10']:.3f} |")
    for size, d in (("corpus", r["small"]), ("scaled", r.get("big", {}))):
        st = d.get("static", {})
        for kind in ("title", "words", "partial", "fragment", "all"):
            if kind in st.get("quality", {}):
                q = st["quality"][kind]
                lines.append(f"| static search in the browser's engine ({size}) | {kind} | {q['n']} | {q['mrr10']:.3f} | "
                             f"{q['recall10']:.3f} |")
    pf = r.get("pagefind", {})
    if pf.get("error"):
        lines.append(f"\nPagefind: {pf['error']}")
    lines += ["", "## Speed", "",
              "| measure | corpus | scaled |", "|---|---|---|"]
    small, big = r["small"], r.get("big", {})

    def cell(d: dict[str, Any], *path: str, fmt: str = "{:.1f}") -> str:
        for p in path:
            if not isinstance(d, dict) or p not in d:
                return "—"
            d = d[p]
        return fmt.format(d)

    def spread(d: dict[str, Any], *path: str) -> str:
        return cell(d, *path, "p50") + " / " + cell(d, *path, "p95")

    rows = [
        ("documents", cell(small, "index", "docs", fmt="{}"), cell(big, "index", "docs", fmt="{}")),
        ("Pelican build, no search (s)", cell(small, "build_plain", "seconds"), "—"),
        ("Pelican build with search, first (s)", cell(small, "build_full", "seconds"), "—"),
        ("  of which index update (s)", cell(small, "build_full", "index_s"), "—"),
        ("Pelican rebuild after one edit (s)", cell(small, "build_edit", "seconds"), "—"),
        ("  of which index update (s) / documents analysed", cell(small, "build_edit", "index_s", fmt="{:.2f}")
         + " / " + cell(small, "build_edit", "analysed", fmt="{}"), "—"),
        ("full index, engine only (s)", cell(small, "index", "full_s"), cell(big, "index", "full_s")),
        ("incremental, one edit (s) / analysed", cell(small, "index", "incremental_s", fmt="{:.2f}") + " / "
         + cell(small, "index", "analysed_incremental", fmt="{}"),
         cell(big, "index", "incremental_s", fmt="{:.2f}") + " / " + cell(big, "index", "analysed_incremental", fmt="{}")),
        ("index size (MB)", cell(small, "index", "size_mb"), cell(big, "index", "size_mb")),
        ("peak memory, indexing (MB)", cell(small, "index", "peak_mb", fmt="{:.0f}"),
         cell(big, "index", "peak_mb", fmt="{:.0f}")),
        ("peak memory, Pelican build with search (MB)", cell(small, "build_full", "peak_mb", fmt="{:.0f}"), "—"),
        ("searcher open (s)", cell(small, "query", "open_s", fmt="{:.2f}"), cell(big, "query", "open_s", fmt="{:.2f}")),
        ("query p50 / p95 in process, cold caches (ms)",
         spread(small, "query", "cold"), spread(big, "query", "cold")),
        ("query p50 / p95 in process, warm (ms)",
         spread(small, "query", "warm"), spread(big, "query", "warm")),
        ("query max in process, cold (ms)", cell(small, "query", "cold", "max"), cell(big, "query", "cold", "max")),
        ("query p50 / p95 over HTTP, cold (ms)",
         spread(small, "http", "cold"), spread(big, "http", "cold")),
        ("query p50 / p95 over HTTP, warm (ms)",
         spread(small, "http", "warm"), spread(big, "http", "warm")),
        ("same queries through Whoosh's own matchers and BM25F: p50 / p95 (ms)",
         spread(small, "native"), spread(big, "native")),
        ("peak memory, searching (MB)", cell(small, "query", "peak_mb", fmt="{:.0f}"),
         cell(big, "query", "peak_mb", fmt="{:.0f}")),
    ]
    if pf and not pf.get("error"):
        rows += [("Pagefind index time (s)", cell(pf, "index_s"), "—"),
                 ("Pagefind peak memory (MB)", cell(pf, "peak_mb", fmt="{:.0f}"), "—"),
                 ("Pagefind bundle size (MB)", cell(pf, "size_mb"), "—"),
                 ("Pagefind query p50 / p95 in Node (ms)", spread(pf), "—")]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", "## Search without a server (static index, the browser's engine run in Node)", "",
              "| measure | corpus | scaled |", "|---|---|---|"]
    sm, bg = r["small"].get("static", {}), r.get("big", {}).get("static", {})

    for label, path, fmt in (
            ("top-10 overlap with the service", ("overlap10",), "{:.3f}"),
            ("queries with the service's exact top 10", ("identical_top10",), "{:.3f}"),
            ("bytes per query, cold cache, with the script: p50 / p95 (KB)", ("cold_kb",), None),
            ("bytes per query, warm cache: p50 / p95 (KB)", ("warm_kb",), None),
            ("files fetched per query, cold: p50", ("files_per_query", "p50"), "{:.0f}"),
            ("query time in Node, cold: p50 / p95 (ms)", ("ms",), None),
            ("query time in Node, warm: p50 / p95 (ms)", ("warm_ms",), None),
            ("static index size / compressed (MB)", ("size_mb",), "{:.1f}"),
            ("files (with .gz and .br copies)", ("files",), "{:,}"),
            ("export time (s)", ("export_s",), "{:.1f}"),
            ("script, compressed (KB)", ("script_kb",), "{:.1f}")):
        if fmt is None:
            a = cell(sm, *path, "p50") + " / " + cell(sm, *path, "p95")
            b = cell(bg, *path, "p50") + " / " + cell(bg, *path, "p95")
        elif path == ("size_mb",):
            a = cell(sm, "size_mb") + " / " + cell(sm, "compressed_mb")
            b = cell(bg, "size_mb") + " / " + cell(bg, "compressed_mb")
        else:
            a, b = cell(sm, *path, fmt=fmt), cell(bg, *path, fmt=fmt)
        lines.append(f"| {label} | {a} | {b} |")
    for size, st in (("corpus", sm), ("scaled", bg)):
        if st.get("quoted"):
            lines.append(f"\n- static, {size}: quoted phrases with the total of the documents holding them: "
                         f"{st['quoted']['exact']} of {st['quoted']['n']}")
    lines += ["", "Broad and phrase queries (in process, after the runs above):", ""]
    pf_quoted = pf.get("quoted") if pf else None
    sources = [("corpus", small, small.get("query", {}).get("quoted")), ("scaled", big, big.get("query", {}).get("quoted")),
               ("Pagefind on the corpus (in Node)", {}, pf_quoted)]
    for size, d, quoted in sources:
        for item in d.get("query", {}).get("broad", []) + d.get("query", {}).get("phrase", []):
            lines.append(f"- {size}: `{item['query']}` → {item['total']} results, {item['ms']:.1f} ms")
        if quoted:
            lines.append(f"- {size}, quoted phrases (3 runs each): p50 {quoted['p50']:.1f} ms, p95 {quoted['p95']:.1f} ms; "
                         f"total equal to the documents holding the string: {quoted['exact']} of {quoted['n']}")
            lines += [f"  - `\"{r['query']}\"` → {r['total']} results"
                      + (f" ({r['holding']} documents hold it)" if r["holding"] is not None else "")
                      for r in quoted["rows"]]
        for item in d.get("native", {}).get("broad", []):
            lines.append(f"- {size}, Whoosh's own matchers: `{item['query']}` → {item['total']} results, "
                         f"{item['ms']:.1f} ms")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--scale", type=int, default=20000, help="documents in the scaled corpus (0: skip)")
    ap.add_argument("--no-pagefind", action="store_true")
    ap.add_argument("--no-segmenters", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (built sites, indexes)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search.json")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--args", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        args = json.loads(Path(a.args).read_text(encoding="utf-8"))
        print(json.dumps(PHASES[a.phase](args), ensure_ascii=False))
        return
    corpus = a.corpus.resolve()
    laws = load_corpus(corpus)
    if not laws:
        sys.exit(f"{corpus} 里没有 Markdown 文件")
    queries = make_queries(laws)
    qs = [q.__dict__ for q in queries]
    result: dict[str, Any] = {"corpus": str(corpus), "docs": len(laws), "queries": len(queries), "small": {}}
    work = Path(tempfile.mkdtemp(prefix="xxgk-search-bench-"))
    try:
        if not a.no_segmenters:
            print("segmenters …", file=sys.stderr)
            result["segmenters"] = run("segmenters", corpus=str(corpus))
        small = result["small"]
        site = work / "site"
        write_site(laws, site / "content")
        # Page URL of each corpus document, for the quality check of the real build.
        years: dict[int, int] = {}
        url_to_doc = {}
        for i, law in enumerate(laws):
            years[law.date.year] = years.get(law.date.year, 0) + 1
            url_to_doc[f"tzgg/{law.date.year}-{years[law.date.year]:05d}.html"] = i
        print("Pelican builds …", file=sys.stderr)
        small["build_plain"] = run("build", site=str(site), search=False)
        small["build_full"] = run("build", site=str(site), search=True)
        edited = next(iter(sorted((site / "content" / "tzgg").rglob("*.md"))))
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n\n新增一句：{EDIT_WORD}。\n", encoding="utf-8")
        small["build_edit"] = run("build", site=str(site), search=True)
        output = small["build_edit"]["output"]
        print("corpus: engine index, queries, HTTP …", file=sys.stderr)
        small["index"] = run("index", corpus=str(corpus), scale=len(laws), work=str(work / "small"))
        small["query"] = run("query", output=output, queries=qs, url_to_doc=url_to_doc, truth=phrase_truth(laws))
        small["http"] = run("http", output=output, queries=qs)
        small["native"] = run("whoosh_native", output=output, queries=qs)
        print("corpus: static search …", file=sys.stderr)
        small["static"] = run("static", output=output, queries=qs, url_to_doc=url_to_doc, truth=phrase_truth(laws),
                              work=str(work))
        if not a.no_pagefind:
            print("Pagefind …", file=sys.stderr)
            result["pagefind"] = run("pagefind", output=output, queries=qs, url_to_doc=url_to_doc, work=str(work),
                                     truth=phrase_truth(laws))
        if a.scale:
            print(f"scaled corpus of {a.scale} documents …", file=sys.stderr)
            big = result["big"] = {}
            big["index"] = run("index", corpus=str(corpus), scale=a.scale, work=str(work / "big"))
            # Quality at scale: the original law must still come first among its varied copies.
            originals = {f"tzgg/{n:06d}.html": n for n in range(len(laws))}
            copies = {f"tzgg/{n:06d}.html": n % len(laws) for n in range(a.scale)}
            big["query"] = run("query", output=big["index"]["output"], queries=qs, url_to_doc=originals,
                               copies=copies, truth=phrase_truth(laws, a.scale))
            big["http"] = run("http", output=big["index"]["output"], queries=qs)
            big["native"] = run("whoosh_native", output=big["index"]["output"], queries=qs)
            big["static"] = run("static", output=big["index"]["output"], queries=qs, url_to_doc=originals,
                                copies=copies, truth=phrase_truth(laws, a.scale), work=str(work))
    finally:
        if a.keep:
            print(f"work folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = report(result)
    print(text)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    a.out.with_suffix(".md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
