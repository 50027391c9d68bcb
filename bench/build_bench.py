"""Build and search benchmark of xxgk against bare Pelican (make bench; docs/performance.md).

    python -m bench.build_bench [--sizes corpus,5000,20000] [--repeat 3] [--out BENCHMARKS.md]

For each size — `corpus` is ../shared/corpus/laws itself (1,512 documents), a number is that
many documents made from it with varied titles, dates and openings — it writes two sites into
a temporary folder: xxgk entries across the four columns (valid front matter, attachments on
budgets and some notices), and the same Markdown with plain Pelican metadata, built by bare
Pelican (no plugins, its `simple` theme).  Then, `--repeat` times each, it measures:

* a cold build (no output, no caches), a warm rebuild with nothing changed, and a rebuild
  after appending a paragraph to one document: wall time of the whole `python` process
  (what `make html` costs) and its peak RSS, worker processes included;
* the search index's full and incremental update, as the build reports it;
* query latency in process (bench/search_bench.py's query phase) and over HTTP with 8
  concurrent keep-alive clients against `python -m xxgk serve`, and the service's peak RSS;
* output size and the median size of an HTML page.

Every build runs in a fresh child process.  Medians are reported, with ratios to bare
Pelican; the table goes to stdout and, with the machine and versions, to --out.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

from bench import corpus  # noqa: E402
from bench import search_bench as sb  # noqa: E402

DEFAULT_SIZES = "corpus,5000,20000"
# A 20,000-document cold build takes minutes: once by default (about 17 minutes in all).
LARGE, REPEAT_SMALL, REPEAT_LARGE = 20000, 3, 1
CLIENTS = 8
HTTP_SECONDS = 20.0       # bound of the concurrent HTTP run
HTTP_PASSES = 2           # passes over the query set (the first starts with cold caches)
# A site's index gains a segment with each edit rebuild until Whoosh merges them; queries
# visit every segment, so latency is also measured on a copy of the index after this many.
AGED_EDITS = 100
TARGETS = {"cold": 1.5, "edit": 0.5, "query_p95": 20.0, "http_p95": 50.0, "build_mb": 2048, "service_mb": 300}


# --- phases (each in its own process) -------------------------------------------

def _peak_mb() -> float:
    """Peak RSS of this process plus the largest of its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024


def phase_bare(args: dict[str, Any]) -> dict[str, Any]:
    import logging

    from pelican import Pelican
    from pelican.settings import read_settings

    logging.disable(logging.WARNING)
    site = Path(args["site"])
    settings = read_settings(str(site / "pelicanconf.py"),
                             override={"PATH": str(site / "content"), "OUTPUT_PATH": str(site / "output")})
    t0 = time.perf_counter()
    Pelican(settings).run()
    return {"build_s": time.perf_counter() - t0, "peak_mb": _peak_mb()}


def phase_xxgk(args: dict[str, Any]) -> dict[str, Any]:
    import logging

    from plugins.search import store
    from xxgk.build import build_atomically, load_settings

    logging.disable(logging.WARNING)
    site = Path(args["site"])
    base = load_settings(ROOT, overrides={"PATH": str(site / "content")})
    overrides = {"PATH": str(site / "content"), "XXGK": {**base["XXGK"], "TODAY": corpus.TODAY}}
    t0 = time.perf_counter()
    result = build_atomically(ROOT, output=site / "output", overrides=overrides)
    secs = time.perf_counter() - t0
    stats = store.build_stats(site / "output")
    return {"build_s": secs, "peak_mb": _peak_mb(), "warnings": len(result.warnings),
            "index_s": stats.seconds, "analysed": stats.analysed, "index_full": stats.full_rebuild}


SERVERS = {
    # What `make serve` runs: the site app in one process, waitress with 8 threads.
    "one process": lambda port: [sys.executable, "-c",
                                 "import sys, waitress; from pathlib import Path; from xxgk.serve import site_app; "
                                 "waitress.serve(site_app(Path(sys.argv[1])), host='127.0.0.1', port=int(sys.argv[2]), "
                                 "threads=8, _quiet=True)", "{output}", str(port)],
    # The production deployment docs/search.md describes: `xxgk serve-production`, waitress in one
    # process per core, the app (and the segmenter's dictionary) loaded before they fork.
    "production": lambda port: [sys.executable, "-m", "xxgk", "serve-production", "--port", str(port)],
}


def phase_http(args: dict[str, Any]) -> dict[str, Any]:
    """The queries over HTTP from CLIENTS concurrent keep-alive clients against one server set-up;
    the service's memory is the peak PSS of its processes (workers included), sampled."""
    port = sb._free_port()
    command = [a.replace("{output}", args["output"]) for a in SERVERS[args["server"]](port)]
    env = {**os.environ, "XXGK_OUTPUT": args["output"]}
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _pss_kb(_descendants(server.pid)))
            stop.wait(0.2)

    try:
        sb.wait_for_port(port, server, 60)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        paths = ["/search.json?" + urllib.parse.urlencode({"q": q["text"]}) for q in args["queries"]]
        work = paths * HTTP_PASSES
        times: list[list[float]] = [[] for _ in range(CLIENTS)]
        errors: list[str] = []
        stop_at = time.perf_counter() + args.get("seconds", HTTP_SECONDS)

        def client(i: int) -> None:
            conn = HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                for path in work[i::CLIENTS]:
                    if time.perf_counter() > stop_at:
                        break
                    t = time.perf_counter()
                    conn.request("GET", path)
                    resp = conn.getresponse()
                    resp.read()
                    times[i].append((time.perf_counter() - t) * 1000)
                    if resp.status != 200:
                        errors.append(f"{path}: HTTP {resp.status}")
            finally:
                conn.close()

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        stop.set()
        server.terminate()
        server.wait(10)
    flat = [x for ts in times for x in ts]
    if errors:
        raise RuntimeError("; ".join(errors[:5]))
    return {"server": args["server"], "requests": len(flat), "seconds": elapsed, "qps": len(flat) / elapsed,
            "p50": sb.pct(flat, 50), "p95": sb.pct(flat, 95), "max": max(flat), "service_mb": peak[0] / 1024}


PRODUCTION = "production"
PHASES = {"bare": phase_bare, "xxgk": phase_xxgk, "http": phase_http}


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _pss_kb(pids: list[int]) -> int:
    """Proportional set size of the processes (pages shared by forked workers counted once in all)."""
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


def run(phase: str, **args: Any) -> dict[str, Any]:
    """Run a phase in a fresh Python process; add its wall time (start to exit) and the peak memory
    of its process tree (PSS summed over the process and its workers, sampled every 0.2 s)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(args, fh, ensure_ascii=False)
    try:
        t0 = time.perf_counter()
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            proc = subprocess.Popen([sys.executable, "-m", f"bench.{Path(__file__).stem}", "--phase", phase, "--args", fh.name], cwd=ROOT,
                                    stdout=out, stderr=err, text=True)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, _pss_kb(_descendants(proc.pid)))
                time.sleep(0.2)
            wall = time.perf_counter() - t0
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
    finally:
        os.unlink(fh.name)
    if proc.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["tree_mb"] = peak / 1024
    return result


# --- measuring one size ------------------------------------------------------------

def output_stats(output: Path) -> dict[str, Any]:
    """Size of the built site (each hard-linked file once), its HTML pages and their median size."""
    root = output.resolve()
    seen: set[tuple[int, int]] = set()
    total, files, html = 0, 0, []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            files += 1
            if name.endswith(".html"):
                html.append(st.st_size)
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return {"mb": total / 2**20, "files": files, "pages": len(html),
            "median_html_kb": statistics.median(html) / 1024 if html else 0.0}


def _clean(site: Path) -> None:
    for name in ("output", ".xxgk-builds", ".xxgk-cache"):
        p = site / name
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.exists():
            shutil.rmtree(p)


def _builds(sites: dict[str, Path], docs: list[corpus.Doc], repeat: int,
            log: Any) -> dict[str, dict[str, list[dict]]]:
    """Cold, warm and one-edit builds of each site, `repeat` times, bare and xxgk interleaved
    (so both see the same background load on a shared machine)."""
    runs: dict[str, dict[str, list[dict]]] = {k: {"cold": [], "warm": [], "edit": []} for k in sites}
    for r in range(repeat):
        for site in sites.values():
            _clean(site)
        for mode in ("cold", "warm", "edit"):
            for kind, site in sites.items():
                if mode == "edit":
                    corpus.edit_one(site, docs, r)
                # Every build starts with nothing waiting to be written to disk: otherwise the
                # corpus just written, or the previous build's output, is flushed during the
                # next build, and the kernel throttles whichever writes more (seen at 20,000:
                # xxgk's cold build 157-163 s right after writing the corpus, 130 s alone).
                os.sync()
                res = run(kind, site=str(site))
                runs[kind][mode].append(res)
                log(f"  {kind} {mode} #{r + 1}: {res['wall_s']:.1f} s, {res['tree_mb']:.0f} MB"
                    + (f", index {res['index_s']:.2f} s ({res['analysed']} analysed)" if kind == "xxgk" else ""))
    return runs


def measure(size: str, laws: list[Any], work: Path, repeat: int, servers: list[str], log: Any) -> dict[str, Any]:
    count = len(laws) if size == "corpus" else int(size)
    docs = corpus.documents(laws, count)
    folder = work / f"size-{count}"
    log(f"{size}: writing {count} documents …")
    corpus.write_xxgk(docs, folder / "xxgk")
    corpus.write_bare(docs, folder / "bare")
    result: dict[str, Any] = {"size": size, "docs": count, "repeat": repeat}
    runs = _builds({"bare": folder / "bare", "xxgk": folder / "xxgk"}, docs, repeat, log)
    result.update(runs)
    result["bare_output"] = output_stats(folder / "bare" / "output")
    output = folder / "xxgk" / "output"
    result["xxgk_output"] = output_stats(output)
    queries = [q.__dict__ for q in sb.make_queries(laws)]
    log(f"  queries in process ({len(queries)}) …")
    result["query"] = sb.run("query", output=str(output.resolve()), queries=queries, url_to_doc={})
    log(f"  queries in process after {AGED_EDITS} one-document edits …")
    result["aged"] = sb.run("aged", output=str(output.resolve()), queries=queries, work=str(folder / "aged-index"),
                            edits=AGED_EDITS)
    for server in servers:
        log(f"  queries over HTTP, {CLIENTS} clients, {server} …")
        result.setdefault("http", {})[server] = run("http", output=str(output.resolve()), queries=queries,
                                                    server=server)
    return result


# --- the report -----------------------------------------------------------------

def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def machine() -> dict[str, str]:
    import importlib.metadata as md

    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    versions = ", ".join(f"{name} {md.version(name)}" for name in
                         ("pelican", "markdown", "jinja2", "whoosh-reloaded", "rjieba", "numpy", "nh3", "pyyaml", "waitress"))
    return {"cpu": f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM",
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "versions": versions,
            "xxgk": commit + (" (with uncommitted changes)" if dirty else "")}


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def report(results: list[dict[str, Any]], info: dict[str, str], total_s: float) -> str:
    heads = []
    for r in results:
        label = f"{r['docs']:,}" + (" (corpus)" if r["size"] == "corpus" else "")
        heads += [f"{label}: bare", "xxgk", "ratio"]
    rows: list[list[str]] = []

    def build_row(name: str, mode: str, key: str, base_mode: str | None = None, digits: int = 1) -> None:
        cells = []
        for r in results:
            bare = med(r["bare"][base_mode or mode], key)
            ours = med(r["xxgk"][mode], key)
            cells += [_fmt(bare, digits), _fmt(ours, digits), f"{ours / bare:.2f}×"]
        rows.append([name] + cells)

    def our_row(name: str, value: Any) -> None:
        cells = []
        for r in results:
            cells += ["—", value(r), "—"]
        rows.append([name] + cells)

    build_row("cold full build, wall (s)", "cold", "wall_s")
    build_row("warm rebuild, nothing changed (s)", "warm", "wall_s")
    build_row("rebuild after editing one document (s)", "edit", "wall_s")
    build_row("… ratio to bare Pelican's cold build", "edit", "wall_s", base_mode="cold")
    build_row("peak memory, cold build (MB)", "cold", "tree_mb", digits=0)
    build_row("peak memory, warm rebuild (MB)", "warm", "tree_mb", digits=0)
    build_row("peak memory, edit rebuild (MB)", "edit", "tree_mb", digits=0)
    our_row("search index, full (s) — in the cold build", lambda r: _fmt(med(r["xxgk"]["cold"], "index_s"), 2))
    our_row("search index, incremental (s) / documents analysed",
            lambda r: _fmt(med(r["xxgk"]["edit"], "index_s"), 2) + f" / {r['xxgk']['edit'][0]['analysed']}")
    our_row("query p50 / p95 in process, cold caches (ms)",
            lambda r: f"{_fmt(r['query']['cold']['p50'])} / {_fmt(r['query']['cold']['p95'])}")
    our_row("query p50 / p95 in process, warm (ms)",
            lambda r: f"{_fmt(r['query']['warm']['p50'])} / {_fmt(r['query']['warm']['p95'])}")
    our_row(f"… cold caches, after {AGED_EDITS} one-document edits (ms) / index segments before → after",
            lambda r: f"{_fmt(r['aged']['cold']['p50'])} / {_fmt(r['aged']['cold']['p95'])} / "
                      f"{r['aged']['segments_before']} → {r['aged']['segments_after']}")
    for server in [s for s in SERVERS if all(s in r["http"] for r in results)]:
        our_row(f"query p50 / p95 over HTTP, {CLIENTS} clients, {server} (ms)",
                lambda r, s=server: f"{_fmt(r['http'][s]['p50'])} / {_fmt(r['http'][s]['p95'])}")
        our_row(f"… throughput (queries/s) / service peak memory (MB), {server}",
                lambda r, s=server: f"{_fmt(r['http'][s]['qps'], 0)} / {_fmt(r['http'][s]['service_mb'], 0)}")
    cells = []
    for r in results:
        b, x = r["bare_output"], r["xxgk_output"]
        cells += [_fmt(b["mb"]), _fmt(x["mb"]), f"{x['mb'] / b['mb']:.2f}×"]
    rows.append(["output size (MB)"] + cells)
    cells = []
    for r in results:
        b, x = r["bare_output"], r["xxgk_output"]
        cells += [f"{b['pages']:,}", f"{x['pages']:,}", f"{x['pages'] / b['pages']:.2f}×"]
    rows.append(["HTML pages"] + cells)
    cells = []
    for r in results:
        b, x = r["bare_output"], r["xxgk_output"]
        cells += [_fmt(b["median_html_kb"]), _fmt(x["median_html_kb"]), f"{x['median_html_kb'] / b['median_html_kb']:.2f}×"]
    rows.append(["median HTML page (KB)"] + cells)

    lines = ["| measure | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    table = "\n".join(lines)
    checks = targets(results)
    runs = " / ".join(str(r["repeat"]) for r in results)
    sizes = " / ".join(f"{r['docs']:,}" for r in results)
    head = [f"Machine: {info['cpu']}; {info['os']}; Python {info['python']}.",
            f"Versions: {info['versions']}; xxgk {info['xxgk']}.",
            f"Medians of {runs} runs per build ({sizes} documents); measured {dt.date.today().isoformat()}; "
            f"the whole run took {total_s / 60:.1f} min."]
    return "\n".join(head) + "\n\n" + table + "\n\n" + checks + "\n"


def targets(results: list[dict[str, Any]]) -> str:
    out = ["Targets (issue 9):", ""]
    for r in results:
        cold = med(r["xxgk"]["cold"], "wall_s") / med(r["bare"]["cold"], "wall_s")
        edit = med(r["xxgk"]["edit"], "wall_s") / med(r["bare"]["cold"], "wall_s")
        peak = max(x["tree_mb"] for runs in r["xxgk"].values() for x in runs)
        server = PRODUCTION if PRODUCTION in r["http"] else next(iter(r["http"]))
        http = r["http"][server]
        items = [("full build ≤ 1.5× bare", cold <= TARGETS["cold"], f"{cold:.2f}×"),
                 ("one-edit rebuild ≤ 0.5× bare cold", edit <= TARGETS["edit"], f"{edit:.2f}×"),
                 ("query p95 ≤ 20 ms in process", r["query"]["cold"]["p95"] <= TARGETS["query_p95"],
                  f"{r['query']['cold']['p95']:.1f} ms"),
                 (f"the same after {AGED_EDITS} one-document edits", r["aged"]["cold"]["p95"] <= TARGETS["query_p95"],
                  f"{r['aged']['cold']['p95']:.1f} ms"),
                 (f"p95 ≤ 50 ms over HTTP ({server})", http["p95"] <= TARGETS["http_p95"], f"{http['p95']:.1f} ms"),
                 ("build peak ≤ 2 GB", peak <= TARGETS["build_mb"], f"{peak:.0f} MB"),
                 (f"service ≤ 300 MB ({server}, all processes)", http["service_mb"] <= TARGETS["service_mb"],
                  f"{http['service_mb']:.0f} MB")]
        cells = "; ".join(f"{name}: {'met' if ok else 'NOT met'} ({value})" for name, ok, value in items)
        out.append(f"- {r['docs']:,} documents: {cells}")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES,
                    help="comma-separated: corpus (or 1527) and document counts, e.g. corpus,5000")
    ap.add_argument("--repeat", default="",
                    help="runs of each build (the median is reported): one number, or one per size (3,3,1); "
                         f"default {REPEAT_SMALL} below {LARGE:,} documents, {REPEAT_LARGE} from there")
    ap.add_argument("--servers", default=",".join(SERVERS),
                    help=f"HTTP set-ups to measure, comma-separated (default: {', '.join(SERVERS)})")
    ap.add_argument("--corpus", type=Path, default=sb.DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "build.json")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one, removed)")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--args", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        args = json.loads(Path(a.args).read_text(encoding="utf-8"))
        print(json.dumps(PHASES[a.phase](args), ensure_ascii=False))
        return
    started = time.perf_counter()
    laws = sb.load_corpus(a.corpus.resolve())
    if not laws:
        sys.exit(f"{a.corpus} 里没有 Markdown 文件")
    sizes = ["corpus" if s.strip() in ("corpus", "1527", str(len(laws))) else str(int(s))
             for s in a.sizes.split(",") if s.strip()]
    work = a.work or Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {msg}", file=sys.stderr, flush=True)

    if a.repeat:
        repeats = [int(r) for r in a.repeat.split(",")]
        repeats += [repeats[-1]] * (len(sizes) - len(repeats))
    else:
        repeats = [REPEAT_SMALL if s == "corpus" or int(s) < LARGE else REPEAT_LARGE for s in sizes]
    servers = [s.strip() for s in a.servers.split(",") if s.strip()]
    results = []
    try:
        for size, repeat in zip(sizes, repeats):
            results.append(measure(size, laws, work, repeat, servers, log))
            if a.work is None:
                shutil.rmtree(work / f"size-{results[-1]['docs']}", ignore_errors=True)
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    info = machine()
    text = report(results, info, time.perf_counter() - started)
    print(text)
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps({"machine": info, "results": results}, ensure_ascii=False, indent=1),
                      encoding="utf-8")
    a.out.write_text("# Benchmarks\n\n`make bench` (bench/build_bench.py; docs/performance.md explains what is "
                     "measured and how to read it).\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
