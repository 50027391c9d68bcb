"""Load benchmark of the site service (issue 10): 8 clients for 60 s of mixed queries, then again while
rebuilds swap the site and the search index in.  Loopback only; bounded in time and requests.

    .venv/bin/python -m bench.load_bench [--seconds 60] [--clients 8] [--out bench/results/load.md]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from waitress.server import create_server  # noqa: E402

from tests.loadkit import run_load  # noqa: E402
from xxgk.build import build_atomically  # noqa: E402
from xxgk.serve import site_app  # noqa: E402


def copy_site(tmp: Path) -> Path:
    """The demo site's sources in a scratch folder, so rebuilds never touch the real output."""
    import shutil

    root = tmp / "site"
    root.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, root / name)
    for name in ("content", "theme", "applications", "data"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, root / name)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/load.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_site(Path(tmp))
        build_atomically(root)
        server = create_server(site_app(root / "output"), host="127.0.0.1", port=0, threads=8)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}"
        steady = run_load(base, clients=args.clients, seconds=args.seconds)
        stop, swaps = threading.Event(), []

        def rebuild() -> None:
            page = sorted((root / "content/tzgg").rglob("*.md"))[0]
            original = page.read_text(encoding="utf-8")
            while not stop.is_set():
                page.write_text(original.replace("\n---\n", f"\n---\n第{len(swaps) + 1}次重新生成。\n", 1),
                                encoding="utf-8")
                started = time.monotonic()
                build_atomically(root)
                swaps.append(time.monotonic() - started)

        worker = threading.Thread(target=rebuild)
        worker.start()
        during = run_load(base, clients=args.clients, seconds=args.seconds, seed=11)
        stop.set()
        worker.join()
    rows = [("steady", steady.summary()), (f"during {len(swaps)} rebuilds", during.summary())]
    kinds = ("search", "search.json", "static", "tracker")
    lines = ["| run | requests | errors | req/s | p50 ms | p95 ms | p99 ms | " + " | ".join(f"p95 {k} ms" for k in kinds)
             + " |", "|---" * (7 + len(kinds)) + "|"]
    for (name, s), stats in zip(rows, (steady, during)):
        lines.append(f"| {name} | {s['requests']} | {s['errors']} | {s['rps']:.0f} | {s['p50_ms']:.1f} | "
                     f"{s['p95_ms']:.1f} | {s['p99_ms']:.1f} | "
                     + " | ".join(f"{stats.kind_p95(k):.1f}" for k in kinds) + " |")
    table = "\n".join(lines)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    note = ("The tracker's no-JavaScript query derives a PBKDF2 key (600,000 rounds) per request on purpose: "
            "it is what makes guessing codes infeasible, and it dominates the overall p95.")
    args.out.write_text(f"# Load benchmark ({args.clients} clients × {args.seconds:.0f} s, loopback)\n\n{table}\n\n{note}\n",
                        encoding="utf-8")
    print(json.dumps({"errors": steady.errors[:5] + during.errors[:5]}, ensure_ascii=False))
    if steady.errors or during.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
