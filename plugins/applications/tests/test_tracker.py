"""The public tracker: built from real records, found only with the code, nothing else leaks."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from foundation.requests import codes
from foundation.requests.errors import RecordsError
from plugins.applications.public import NOT_FOUND, PUBLIC_KEYS, render_message, render_status
from plugins.applications.service import tracker_app
from tests.sitekit import FAKE_HASH, ROOT, Site, write_record
from xxgk.build import BuildResult, build

TODAY = "2026-11-27"
TRACKER_JS = ROOT / "theme/static/js/tracker.js"

# number, code, fields: one record per path a requester can see; subjects are distinctive on purpose.
RECORDS: list[tuple[str, str, dict[str, Any]]] = [
    ("DJ-2025-0001", "H4KM-Q7RT-2X", {
        "channel": "传真", "category": "法律服务机构", "received": "2025-12-01", "subject": "甲号测试摘要：港区渔船补贴名单",
        "events": [{"event": "撤回", "date": "2025-12-05"}]}),
    ("DJ-2026-0001", "N8PQ-W3ZC-5B", {
        "channel": "邮寄", "category": "商业企业", "received": "2026-09-10", "subject": "乙号测试摘要：冷链物流扶持细则",
        "events": [{"event": "征求意见开始", "date": "2026-09-14", "party": "其他机关"},
                   {"event": "征求意见结束", "date": "2026-09-18", "party": "其他机关"},
                   {"event": "延期", "date": "2026-10-20", "approved": "2026-10-19", "days": 15},
                   {"event": "答复", "date": "2026-11-05", "outcome": "予以公开"}]}),
    ("DJ-2026-0002", "R6TV-YB9D-3F", {
        "channel": "当面", "category": "科研机构", "received": "2026-10-16", "subject": "丙号测试摘要：老旧小区改造资金"}),
    ("DJ-2026-0003", "S2GH-KL8M-4N", {
        "channel": "网络", "category": "社会公益组织", "received": "2026-11-19", "subject": "丁号测试摘要：企业补贴文件",
        "events": [{"event": "补正告知", "date": "2026-11-24", "due": "2026-12-08"}]}),
]


def build_at(site: Site, today: str = TODAY) -> BuildResult:
    settings = site.settings()
    settings["XXGK"] = {**settings["XXGK"], "TODAY": today}
    return build(settings)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("tracker")
    site = Site(root)
    site.entry()
    for number, code, fields in RECORDS:
        write_record(root / "applications", number, code=code, **fields)
    build_at(site)
    return site


def status_of(site: Site, number: str, code: str) -> dict[str, Any]:
    path = site.output / "ysqgk/status" / f"{codes.lookup_name(number, code)}.json"
    return codes.unseal(codes.derive(number, code), json.loads(path.read_text(encoding="utf-8")))


def result_block(body: str) -> str:
    return re.search(r'<div id="tracker-result"[^>]*>(.*?)</div>\n', body, re.S).group(1)


def test_one_status_file_per_application_named_by_number_and_code(built: Site) -> None:
    names = sorted(p.name for p in (built.output / "ysqgk/status").iterdir())
    expected = sorted(f"{codes.lookup_name(n, c)}.json" for n, c, _ in RECORDS) + ["index.html"]
    assert names == sorted(expected)


def test_public_json_holds_only_the_public_fields(built: Site) -> None:
    data = status_of(built, "DJ-2026-0001", "N8PQ-W3ZC-5B")
    assert tuple(data) == PUBLIC_KEYS
    assert data["status"] == "已答复" and data["outcome"] == "予以公开" and data["reply_date"] == "2026-11-05"
    assert [(d["label"], d["date"]) for d in data["deadlines"]] == [("答复期限", "2026-10-20"),
                                                                   ("延长后的答复期限", "2026-11-10")]
    assert data["extension"]["days"] == 15 and data["pauses"][0]["party"] == "其他机关"
    overdue = status_of(built, "DJ-2026-0002", "R6TV-YB9D-3F")
    assert overdue["status"] == "已超过答复期限，尚未答复" and overdue["overdue_days"] == 10
    waiting = status_of(built, "DJ-2026-0003", "S2GH-KL8M-4N")
    assert waiting["status"] == "等待申请人补正" and [d["label"] for d in waiting["deadlines"]] == ["补正告知期限"]


def test_no_javascript_query_with_the_right_code(built: Site) -> None:
    client = Client(tracker_app(built.output))
    response = client.get("/ysqgk/query", query_string={"number": "dj-2026-0001", "code": "n8pq w3zc 5b"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert render_status(status_of(built, "DJ-2026-0001", "N8PQ-W3ZC-5B")) in body
    assert "<dt>办理状态</dt><dd>已答复</dd>" in body and "延长后的答复期限：2026-11-10" in body
    assert 'value="DJ-2026-0001" data-prefill="number"' in body
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"


def test_wrong_code_and_unknown_number_look_the_same(built: Site) -> None:
    client = Client(tracker_app(built.output))
    wrong = client.get("/ysqgk/query", query_string={"number": "DJ-2026-0001", "code": "N8PQ-W3ZC-5C"})
    unknown = client.get("/ysqgk/query", query_string={"number": "DJ-2026-0099", "code": "N8PQ-W3ZC-5B"})
    assert wrong.status_code == unknown.status_code == 404
    assert result_block(wrong.get_data(as_text=True)) == result_block(unknown.get_data(as_text=True)) \
        == render_message(NOT_FOUND)
    missing = client.get("/ysqgk/query", query_string={"number": "DJ-2026-0001"})
    assert missing.status_code == 400 and "请输入申请编号和查询码。" in missing.get_data(as_text=True)
    assert client.get("/ysqgk/other").status_code == 404


def test_nothing_about_an_application_is_published_without_its_code(built: Site) -> None:
    files = [p for p in built.output.rglob("*") if p.is_file()]
    assert len(files) > 20
    secrets: list[str] = ["applicant_category", "code_hash", '"subject"', "科研机构", "社会公益组织", "法律服务机构",
                          "商业企业"]
    for number, code, fields in RECORDS:
        stored = codes.code_hash(number, code)
        secrets += [fields["subject"], fields["subject"].split("：")[1], code, codes.normalise_code(code),
                    codes.hash_key(stored)]
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, (path, secret)
    # Enumerating the status folder (a host that lists folders) yields only ciphertext: no number,
    # no date, no status, and a wrong key opens nothing.
    for path in (built.output / "ysqgk/status").glob("*.json"):
        blob = json.loads(path.read_text(encoding="utf-8"))
        assert set(blob) == {"v", "alg", "iv", "data"}
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"DJ-|\d{4}-\d{2}-\d{2}|[\u4e00-\u9fff]", text), path
        assert codes.unseal(codes.derive("DJ-2026-0001", "AAAA-AAAA-AA"), blob) is None
    # No page links to a status file, and nothing lists them.
    for path in built.output.rglob("*.html"):
        assert "/ysqgk/status/" not in path.read_text(encoding="utf-8").replace('data-status-url="/ysqgk/status/"', "")
    sitemap = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "ysqgk/status" not in sitemap and "/data/catalogue.json" in sitemap  # the open data is listed
    names = {p.name for p in (built.output / "ysqgk/status").glob("*.json")}
    assert names and not any(n in path.read_text(encoding="utf-8", errors="replace")
                             for path in (built.output / "data").iterdir() for n in names)


def test_status_files_name_no_channel(built: Site) -> None:
    for path in (built.output / "ysqgk/status").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert not any(f'"{c}"' in text or f"{c}提交" in text for c in ("当面", "邮寄", "网络", "传真")), path


def test_tracker_page_has_form_statistics_and_no_inline_script(built: Site) -> None:
    page = built.read("ysqgk/index.html")
    assert "<h1>依申请公开办理进度查询</h1>" in page
    assert 'action="/ysqgk/query" method="get"' in page and 'data-iterations="600000"' in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    # Only external scripts (the CSP allows no inline script): the site's and the tracker's.
    assert sorted(scripts) == ['<script src="/theme/js/site.js">', '<script src="/theme/js/tracker.js" defer>']
    assert not re.search(r"\son[a-z]+=", page) and " style=" not in page
    assert '<meta name="referrer" content="no-referrer">' in page
    # 2026: three received: 0001 answered on time, 0002 open past its deadline (received 10-16,
    # 20 working days), 0003 waiting for its correction — not a 「办结率 33%」 that counts the one
    # within its deadline as a failure (issue 17).
    stats = re.search(r'<dl class="stats-list">(.*?)</dl>', page, re.S).group(1)
    assert re.findall(r"<dt>(.*?)</dt>", stats) == ["收到申请", "已办结", "办理中", "逾期未答复"]
    assert re.findall(r"<dd>(.*?)</dd>", stats) == [
        "3 件", "1 件<small>（答复 1 件，其中按期 1 件；申请人撤回 0 件）</small>", "1 件<small>（在答复期限内）</small>", "1 件"]
    assert "办结率" not in page
    assert "2026年依申请公开情况" in built.read("index.html")
    assert (built.output / "theme/js/tracker.js").is_file() and (built.output / "theme/css/tracker.css").is_file()


NODE_SCRIPT = """
const t = require(process.argv[2]);
const input = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
// As Jinja's autoescape (MarkupSafe) writes the same text.
function esc(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;')
          .replace(/'/g, '&#39;');
}
function h(tag, attrs, ...children) {
  const a = Object.entries(attrs || {}).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  const inner = children.filter((c) => c !== null && c !== undefined)
                        .map((c) => typeof c === 'string' ? esc(c) : c.html).join('');
  return {html: `<${tag}${a}>${inner}</${tag}>`};
}
(async () => {
  const names = [];
  for (const q of input.queries) {
    names.push(await t.fileName(globalThis.crypto.subtle, q.number, q.code, input.options));
  }
  console.log(JSON.stringify({names, renders: input.statuses.map((s) => t.render(s, h).html),
                              message: t.message(h, input.message).html}));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs tracker.js outside a browser")
def test_tracker_js_finds_the_same_files_and_renders_the_same_markup(built: Site, tmp_path: Path) -> None:
    queries = [{"number": n, "code": c} for n, c, _ in RECORDS]
    queries += [{"number": "dj－2026–0001", "code": "n8pq w3zc 5b"}, {"number": "ＤＪ-2026-0002", "code": "R6TVYB9D3F"}]
    statuses = [status_of(built, n, c) for n, c, _ in RECORDS]
    statuses.append({**statuses[0], "notes": ["<b>&\"'</b>"]})  # escaping matches too
    (tmp_path / "in.json").write_text(json.dumps({
        "queries": queries, "statuses": statuses, "message": NOT_FOUND,
        "options": {"iterations": codes.ITERATIONS, "salt": codes.SALT_PREFIX,
                    "filePrefix": codes.FILE_PREFIX.decode()}}), encoding="utf-8")
    (tmp_path / "run.js").write_text(NODE_SCRIPT, encoding="utf-8")
    out = subprocess.run(["node", str(tmp_path / "run.js"), str(TRACKER_JS), str(tmp_path / "in.json")],
                         capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(out.stdout)
    assert result["names"] == [codes.lookup_name(q["number"], q["code"]) for q in queries]
    assert result["names"][len(RECORDS)] == result["names"][1]
    assert result["renders"] == [render_status(s) for s in statuses]
    assert result["message"] == render_message(NOT_FOUND)


BROWSER_SCRIPT = r"""
// A minimal DOM: enough for tracker.js as the built page loads it (not as a module).
const fs = require('fs'), path = require('path');
const [trackerJs, outDir, number, code] = process.argv.slice(2);
class Text { constructor(t) { this.textContent = t; } }
class El {
  constructor(tag) { this.tag = tag; this.attrs = {}; this.children = []; this.listeners = {}; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  appendChild(c) { this.children.push(c); return c; }
  removeChild(c) { this.children.splice(this.children.indexOf(c), 1); }
  get firstChild() { return this.children[0] || null; }
  addEventListener(type, f) { this.listeners[type] = f; }
  get textContent() { return this.children.map((c) => c.textContent).join(''); }
}
const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<')
                         .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const page = fs.readFileSync(path.join(outDir, 'ysqgk/index.html'), 'utf8');
const form = new El('form');
for (const m of page.match(/<form id="tracker-form"[^>]*>/)[0].matchAll(/([\w-]+)="([^"]*)"/g)) {
  form.attrs[m[1]] = unescape(m[2]);
}
form.elements = {number: {value: number}, code: {value: code}};
const out = new El('div');
const doc = {getElementById: (id) => ({'tracker-form': form, 'tracker-result': out})[id],
             createElement: (t) => new El(t), createTextNode: (t) => new Text(t)};
const fetched = [];
const win = {crypto: globalThis.crypto, TextEncoder, fetch: async (url) => {
  fetched.push(url);
  const file = path.join(outDir, url);
  return fs.existsSync(file) ? {ok: true, json: async () => JSON.parse(fs.readFileSync(file, 'utf8'))}
                             : {ok: false, status: 404};
}};
new Function('document', 'window', fs.readFileSync(trackerJs, 'utf8'))(doc, win);
form.listeners.submit({preventDefault() {}});
const wait = setInterval(() => {
  if (out.textContent !== '正在查询……') {
    clearInterval(wait);
    console.log(JSON.stringify({text: out.textContent, fetched, tag: out.firstChild && out.firstChild.tag}));
  }
}, 20);
"""


def run_page(built: Site, tmp_path: Path, number: str, code: str) -> dict[str, Any]:
    script = tmp_path / "browser.js"
    script.write_text(BROWSER_SCRIPT, encoding="utf-8")
    out = subprocess.run(["node", str(script), str(TRACKER_JS), str(built.output), number, code],
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs tracker.js outside a browser")
def test_tracker_page_script_looks_up_and_shows(built: Site, tmp_path: Path) -> None:
    found = run_page(built, tmp_path, "DJ-2026-0001", "n8pq-w3zc-5b")
    assert found["tag"] == "section" and found["fetched"] == [
        f"/ysqgk/status/{codes.lookup_name('DJ-2026-0001', 'N8PQ-W3ZC-5B')}.json"]
    assert "申请编号 DJ-2026-0001" in found["text"] and "办理状态已答复" in found["text"]
    wrong = run_page(built, tmp_path, "DJ-2026-0001", "N8PQ-W3ZC-5C")
    unknown = run_page(built, tmp_path, "DJ-2026-0099", "N8PQ-W3ZC-5B")
    assert wrong["text"] == unknown["text"] == NOT_FOUND
    assert run_page(built, tmp_path, "DJ-2026-0001", " - ")["text"] == "请输入申请编号和查询码。"


def test_invalid_record_fails_the_build(site: Site) -> None:
    site.entry()
    root = site.content.parent
    write_record(root / "applications", "DJ-2026-0001", stored=FAKE_HASH, channel="电话")
    with pytest.raises(RecordsError) as caught:
        build_at(site)
    assert [str(p) for p in caught.value.problems] == [
        "applications/2026/DJ-2026-0001.yaml:3: channel: 「电话」不在允许的取值中（expected 其一：当面、邮寄、网络、传真）"]


def test_deadline_in_a_year_without_notice_is_published_as_undetermined(site: Site) -> None:
    site.entry()
    write_record(site.content.parent / "applications", "DJ-2026-0001", code="ABCD-EFGH-JK", received="2026-12-10")
    result = build_at(site, "2026-12-11")
    assert any("2027 年的节假日安排没有官方数据" in w and "data/holidays/2027.yaml" in w for w in result.warnings)
    data = status_of(site, "DJ-2026-0001", "ABCD-EFGH-JK")
    assert data["deadlines"][0]["date"] is None
    assert "2027 年节假日安排尚未公布，答复期限待国务院办公厅公布后确定。" in data["notes"]


def test_site_without_records_still_has_the_tracker(site: Site) -> None:
    site.entry()
    build_at(site)
    assert "<dd>0 件</dd>" in site.read("ysqgk/index.html")
    assert [p.name for p in (site.output / "ysqgk/status").iterdir()] == ["index.html"]


def test_key_derivations_are_bounded_and_never_queued(built: Site, tmp_path: Path) -> None:
    import threading
    import time

    from plugins.applications.limiter import Limiter
    from plugins.applications.service import BUSY

    app = tracker_app(built.output, Limiter(tmp_path / "locks", slots=1, per_minute=600, burst=100))
    statuses: list[tuple[int, float, str]] = []

    def ask() -> None:
        started = time.monotonic()
        response = Client(app).get("/ysqgk/query", query_string={"number": "DJ-2026-0001", "code": "N8PQ-W3ZC-5B"})
        statuses.append((response.status_code, time.monotonic() - started, response.headers.get("Retry-After", "")))
        if response.status_code == 503:
            assert BUSY in response.get_data(as_text=True)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 200 in {s for s, _t, _r in statuses} and 503 in {s for s, _t, _r in statuses}
    busy = [(t, r) for s, t, r in statuses if s == 503]
    assert all(r == "1" and t < 0.2 for t, r in busy), busy  # answered at once, not after a wait


def test_a_client_that_asks_too_often_is_told_when_to_come_back(built: Site, tmp_path: Path) -> None:
    from plugins.applications.limiter import Limiter

    app = tracker_app(built.output, Limiter(tmp_path / "locks", slots=2, per_minute=6, burst=3))
    client = Client(app)
    query = {"number": "DJ-2026-0001", "code": "ABCD-EFGH-JK"}
    codes_seen = [client.get("/ysqgk/query", query_string=query).status_code for _ in range(5)]
    assert codes_seen == [404, 404, 404, 429, 429]
    too_often = client.get("/ysqgk/query", query_string=query)
    assert 1 <= int(too_often.headers["Retry-After"]) <= 10 and "查询过于频繁" in too_often.get_data(as_text=True)
    # Another client is not affected.
    other = client.get("/ysqgk/query", query_string=query, environ_overrides={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 404
