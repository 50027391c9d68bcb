"""The catalogue as open data: exactly the listings' entries, every file valid against the
schema generated from the content schema, CSV that Excel and the csv module read, DCAT that
parses as JSON-LD, the service's JSON as its OpenAPI says, unchanged files reused."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from pyld import jsonld

from foundation.schema import COLUMNS
from plugins.opendata import DATA_DIR, data_path
from plugins.opendata.schema import catalogue_fields, public_fields
from plugins.pii_guard import guard
from tests.sitekit import Site, entry_text, make_root, pdf_bytes, write_content
from xxgk.build import build_atomically

NATURAL = {"party_name": "张三丰", "party_type": "自然人", "credit_code": None, "legal_rep": None,
           "title": "未按规定办理从业登记行政处罚决定"}


def load(output: Path, rel: str) -> dict:
    return json.loads((output / rel).read_text(encoding="utf-8"))


def validator(output: Path) -> jsonschema.Draft202012Validator:
    schema = load(output, f"{DATA_DIR}/catalogue.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    assert raw.split(b"\n", 1)[0].endswith(b"\r") and raw.endswith(b"\r\n"), "CRLF line ends"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def mixed(site: Site) -> Site:
    """Published entries of every column, and what must not be in the data: a draft, a
    scheduled entry, a withdrawn penalty and one past its publicity period."""
    site.write("czyjs/2024/files/预算.pdf", pdf_bytes("预算公开表"))
    site.entry("tzgg", 1, title="关于蓝鲸码头开放的通知")
    site.entry("tzgg", 2, title="草稿通知", status="draft")
    site.entry("tzgg", 3, title="定时发布的通知", date="2025-06-01", written_date="2025-05-30")
    site.entry("xzcf", 4, **NATURAL, body="当事人未按规定办理从业登记。")
    site.entry("xzcf", 5, title="已撤下的处罚", decision_no="津东疆市监罚〔2024〕5号",
               withdrawn_date="2024-06-01", withdrawal_reason="该行政处罚决定已被依法撤销。")
    site.entry("xzcf", 6, title="公示期满的处罚", decision_no="津东疆市监罚〔2020〕6号", year=2020,
               date="2020-03-05", written_date="2020-03-01", decision_date="2020-03-01",
               penalty_categories="警告", penalty_content="警告。", fine=None)
    site.entry("czyjs", 7, title="2024年部门预算", attachments=[{"file": "files/预算.pdf", "title": "预算公开表"}])
    site.entry("zcwj", 8, title="东疆冷链物流扶持办法", doc_no="津东疆管发〔2024〕8号")
    site.entry("zcwj", 9, title="东疆冷链物流扶持办法（旧）", doc_no="津东疆管发〔2023〕9号", validity="废止",
               validity_date="2024-03-01", replaced_by=f"{entry_org()}/2024-00008", written_date="2023-03-01",
               date="2023-03-05", year=2023)
    site.build()
    return site


def entry_org() -> str:
    from tests.sitekit import ORG

    return ORG


def test_the_catalogue_holds_exactly_the_published_entries(mixed: Site) -> None:
    catalogue = load(mixed.output, f"{DATA_DIR}/catalogue.json")
    titles = {e["title"] for e in catalogue["entries"]}
    assert titles == {"关于蓝鲸码头开放的通知", NATURAL["title"], "2024年部门预算", "东疆冷链物流扶持办法",
                      "东疆冷链物流扶持办法（旧）"}
    assert catalogue["count"] == len(catalogue["entries"]) == 5
    for absent in ("草稿通知", "定时发布的通知", "已撤下的处罚", "公示期满的处罚"):
        assert absent not in json.dumps(catalogue, ensure_ascii=False)
        assert absent not in (mixed.output / f"{DATA_DIR}/catalogue.csv").read_text(encoding="utf-8-sig")
    per_column = {c.key: load(mixed.output, f"{DATA_DIR}/{c.key}.json")["count"] for c in COLUMNS}
    assert per_column == {"tzgg": 1, "xzcf": 1, "czyjs": 1, "zcwj": 2}
    # The same entries as the listings: each column's first listing page links exactly these pages.
    for c in COLUMNS:
        urls = {e["url"].split("/", 3)[3] for e in load(mixed.output, f"{DATA_DIR}/{c.key}.json")["entries"]}
        assert urls == listed(mixed.output, c.key), c.key


def test_records_with_full_width_digits_cannot_be_published(site: Site) -> None:
    """Python's \\d takes ０-９; URLs and the JSON Schema's ECMA patterns do not: such a 索引号
    or 文号 is refused, naming the half-width form."""
    from foundation.errors import ContentError

    site.entry("tzgg", 1, index_no=f"{entry_org()}/２０２４-０００１２")
    site.entry("zcwj", 2, doc_no="津东疆管发〔２０２４〕8号")
    with pytest.raises(ContentError) as caught:
        site.build()
    text = str(caught.value)
    assert f"{entry_org()}/2024-00012" in text and "津东疆管发〔2024〕8号" in text and "半角" in text


def test_a_natural_persons_name_is_masked_in_every_data_file(mixed: Site) -> None:
    data = [p for p in (mixed.output / DATA_DIR).iterdir()] + list(mixed.output.glob("xzcf/*.json"))
    texts = {p.name: p.read_bytes().decode("utf-8-sig") for p in data if p.is_file()}
    assert all("张三丰" not in t for t in texts.values()), [n for n, t in texts.items() if "张三丰" in t]
    penalty = load(mixed.output, f"{DATA_DIR}/xzcf.json")["entries"][0]
    assert penalty["party_name"] == "张某某" and penalty["party_type"] == "自然人"
    assert "credit_code" in penalty and penalty["credit_code"] is None
    # What the page does not show is not data either.
    assert not {"stop_date", "withdrawn_date", "withdrawal_reason", "status"} & set(penalty)


def test_every_file_validates_against_the_published_schema(mixed: Site) -> None:
    check = validator(mixed.output)
    for name in ["catalogue", *(c.key for c in COLUMNS)]:
        check.validate(load(mixed.output, f"{DATA_DIR}/{name}.json"))
    records = load(mixed.output, f"{DATA_DIR}/catalogue.json")["entries"]
    for r in records:
        own = r["data_url"].split("/", 3)[3]
        assert load(mixed.output, own) == r
        check.validate(r)
    budget = next(r for r in records if r["column"] == "czyjs")
    assert budget["attachments"] == [{"title": "预算公开表", "url": budget["attachments"][0]["url"],
                                      "media_type": "application/pdf",
                                      "size": (mixed.output / unquote(budget["attachments"][0]["url"].split("/", 3)[3])).stat().st_size}]
    old = next(r for r in records if r["title"].endswith("（旧）"))
    assert (old["validity"], old["validity_date"]) == ("废止", "2024-03-01")
    assert old["replaced_by"].endswith("/2024-00008") and old["replaced_by_url"].endswith("zcwj/2024-00008.html")
    # The schema rejects what the data must not hold: an unknown field, a wrong 索引号, a bad date.
    for bad in ({**budget, "status": "draft"}, {**budget, "index_no": "2024-7"}, {**budget, "date": "2024-13-45"}):
        assert list(check.iter_errors(bad)), bad


def test_the_schema_is_generated_from_the_content_schema(mixed: Site) -> None:
    schema = load(mixed.output, f"{DATA_DIR}/catalogue.schema.json")
    for c in COLUMNS:
        properties = schema["$defs"][c.key]["properties"]
        for f in public_fields(c.key):
            got = properties[f.name]
            shape = got["anyOf"][0] if "anyOf" in got else got
            assert shape["title"] == f.label and shape["description"] == f.help, f.name
            if f.choices and f.kind == "choice":
                assert shape["enum"] == list(f.choices)


def test_csv_opens_with_the_expected_header_and_rows(mixed: Site) -> None:
    rows = read_csv(mixed.output / f"{DATA_DIR}/catalogue.csv")
    fields = catalogue_fields()
    refs = [f for f in fields if f.kind == "ref"]
    assert rows[0] == ([f.label for f in fields] + [f"{f.label}网址" for f in refs]
                       + ["网址", "栏目名称", "本条数据网址", "附件名称", "附件网址"])
    assert len(rows) == 1 + 5 and all(len(r) == len(rows[0]) for r in rows)
    by_title = {r[rows[0].index("标题")]: dict(zip(rows[0], r)) for r in rows[1:]}
    budget = by_title["2024年部门预算"]
    assert budget["附件名称"] == "预算公开表" and budget["附件网址"].endswith(".pdf")
    assert budget["预算年度"] == "2024" and budget["行政相对人名称"] == ""
    penalties = read_csv(mixed.output / f"{DATA_DIR}/xzcf.csv")
    assert penalties[0][:len(public_fields("xzcf"))] == [f.label for f in public_fields("xzcf")]
    assert dict(zip(penalties[0], penalties[1]))["行政相对人名称"] == "张某某"


def test_the_dcat_description_parses_as_json_ld(mixed: Site) -> None:
    doc = load(mixed.output, f"{DATA_DIR}/dcat.jsonld")
    [dataset] = jsonld.expand(doc)
    dcat, dct = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    assert dataset["@type"] == [f"{dcat}Dataset"]
    assert dataset[f"{dct}publisher"][0]["http://xmlns.com/foaf/0.1/name"][0]["@value"]
    assert dataset[f"{dct}license"][0]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset[f"{dct}modified"][0] == {"@type": "http://www.w3.org/2001/XMLSchema#date", "@value": "2024-12-31"}
    assert dataset["@id"].endswith("/data/dcat.jsonld#dataset")  # the dataset, not one of its files
    assert dataset[f"{dct}language"] == [{"@id": "http://id.loc.gov/vocabulary/iso639-1/zh"}]
    media = {d[f"{dcat}mediaType"][0]["@id"] for d in dataset[f"{dcat}distribution"]}
    assert media == {"https://www.iana.org/assignments/media-types/application/json",
                     "https://www.iana.org/assignments/media-types/text/csv"}
    downloads = {d[f"{dcat}downloadURL"][0]["@id"].rsplit("/", 1)[1] for d in dataset[f"{dcat}distribution"]}
    assert downloads == {f"{n}.{x}" for n in ["catalogue", *(c.key for c in COLUMNS)] for x in ("json", "csv")}
    for name in downloads:
        assert (mixed.output / DATA_DIR / name).is_file()


def test_no_licence_is_declared_when_the_setting_is_empty(site: Site) -> None:
    site.entry("tzgg", 1)
    settings = site.settings()
    settings["XXGK"] = {**settings["XXGK"], "OPEN_DATA_LICENSE": ""}
    from xxgk.build import build

    build(settings)
    assert "dct:license" not in load(site.output, f"{DATA_DIR}/dcat.jsonld")


def test_the_guide_the_listings_and_the_sitemap_link_the_data(mixed: Site) -> None:
    assert "/data/catalogue.csv" in mixed.read("zn.html")
    assert "/data/catalogue.json" in mixed.read("fdzdgknr/index.html")
    assert "/data/zcwj.csv" in mixed.read("zcwj/index.html")
    sitemap = mixed.read("sitemap.xml")
    for name in ("catalogue.json", "catalogue.csv", "dcat.jsonld", "catalogue.schema.json"):
        assert f"/data/{name}</loc>" in sitemap
    assert "zcwj/2024-00008.json" not in sitemap  # an entry's record: its page is listed


def test_the_guard_reads_the_data_files(mixed: Site) -> None:
    path = mixed.output / DATA_DIR / "catalogue.csv"
    path.write_bytes(path.read_bytes() + "泄露,11010519491231002X\r\n".encode("utf-8"))
    findings, _unchecked, _unscanned = guard(mixed.output, mixed.content, [])
    assert any("11010519491231002X" in f.hit.value and f"{DATA_DIR}/catalogue.csv" in f.outputs for f in findings)


def test_an_edit_rewrites_only_the_records_it_changes(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    for n in (1, 2):
        write_content(root, f"tzgg/2024/2024-0000{n}.md", entry_text(serial=n, title=f"第{n}号通知"))
    build_atomically(root)
    zero = (root / "output").resolve()
    build_atomically(root)  # nothing changed: every data file is the same file
    first = (root / "output").resolve()
    for p in (zero / DATA_DIR).iterdir():
        assert p.stat().st_ino == (first / DATA_DIR / p.name).stat().st_ino, p.name
    write_content(root, "tzgg/2024/2024-00002.md", entry_text(serial=2, title="第2号通知（修订）"))
    build_atomically(root)
    second = (root / "output").resolve()
    assert (second / "tzgg/2024-00001.json").stat().st_ino == (first / "tzgg/2024-00001.json").stat().st_ino
    assert (second / "tzgg/2024-00002.json").stat().st_ino != (first / "tzgg/2024-00002.json").stat().st_ino
    assert (second / f"{DATA_DIR}/catalogue.schema.json").stat().st_ino == \
        (first / f"{DATA_DIR}/catalogue.schema.json").stat().st_ino
    assert "第2号通知（修订）" in (second / f"{DATA_DIR}/catalogue.json").read_text(encoding="utf-8")
    changed = {p.name for p in (second / DATA_DIR).iterdir()
               if p.stat().st_ino != (first / DATA_DIR / p.name).stat().st_ino}
    assert changed == {"catalogue.json", "catalogue.csv", "tzgg.json", "tzgg.csv"}  # same today: same dcat


def test_the_update_date_is_the_day_the_catalogue_last_changed(tmp_path: Path) -> None:
    """dct:modified and the files' `modified`: kept while nothing changes (a later day included),
    the build's today after an edit or a withdrawal, so harvesters polling it see every change."""
    root = make_root(tmp_path, today="2024-12-01")
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title="第1号通知"))
    write_content(root, "xzcf/2024/2024-00002.md", entry_text("xzcf", serial=2, title="某公司行政处罚决定"))

    def build_on(day: str) -> tuple[str, int]:
        conf = root / "pelicanconf.py"
        conf.write_text(re.sub(r'"TODAY": "[0-9-]+"', f'"TODAY": "{day}"', conf.read_text(encoding="utf-8")),
                        encoding="utf-8")
        build_atomically(root)
        out = (root / "output").resolve()
        dcat = load(out, f"{DATA_DIR}/dcat.jsonld")
        catalogue = load(out, f"{DATA_DIR}/catalogue.json")
        assert {load(out, f"{DATA_DIR}/{c.key}.json")["modified"] for c in COLUMNS} == {catalogue["modified"]}
        assert dcat["dct:modified"] == catalogue["modified"]
        return catalogue["modified"], catalogue["count"]

    assert build_on("2024-12-01") == ("2024-12-01", 2)
    assert build_on("2024-12-02") == ("2024-12-01", 2)  # nothing changed
    write_content(root, "tzgg/2024/2024-00001.md", entry_text(serial=1, title="第1号通知（修订）"))
    assert build_on("2024-12-03") == ("2024-12-03", 2)  # an edit
    write_content(root, "xzcf/2024/2024-00002.md", entry_text(
        "xzcf", serial=2, title="某公司行政处罚决定", withdrawn_date="2024-12-04",
        withdrawal_reason="该行政处罚决定已被依法撤销。"))
    assert build_on("2024-12-04") == ("2024-12-04", 1)  # a withdrawal: one entry fewer, a new date


def listed(output: Path, column: str) -> set[str]:
    """The entry pages a column's catalogue pages (all of them, every page) link."""
    out: set[str] = set()
    for page in (output / column).glob("index*.html"):
        out |= set(re.findall(rf'href="[^"]*/({column}/\d{{4}}-\d{{5}}\.html)"', page.read_text(encoding="utf-8")))
    return out


def test_the_demo_data_is_valid_and_counts_as_its_listings(demo_output: Path) -> None:
    check = validator(demo_output)
    catalogue = load(demo_output, f"{DATA_DIR}/catalogue.json")
    check.validate(catalogue)
    for c in COLUMNS:
        data = load(demo_output, f"{DATA_DIR}/{c.key}.json")
        check.validate(data)
        pages = {r["url"].split("/", 3)[3] for r in data["entries"]}
        assert pages == listed(demo_output, c.key) and data["count"] == len(pages) > 0, c.key
        for r in data["entries"]:
            assert load(demo_output, data_path(r["url"].split("/", 3)[3])) == r
    assert catalogue["count"] == sum(load(demo_output, f"{DATA_DIR}/{c.key}.json")["count"] for c in COLUMNS)


def test_what_editors_type_stays_text_in_every_data_file(site: Site) -> None:
    """A title that is markup stays escaped-safe JSON; one that a spreadsheet would run as a
    formula (CSV injection) starts with an apostrophe in the CSV."""
    site.entry("tzgg", 1, title='=HYPERLINK("http://example.com","点击")', summary="<script>alert(1)</script>&")
    site.build()
    raw = (site.output / f"{DATA_DIR}/catalogue.json").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw and "&" not in raw
    [entry] = json.loads(raw)["entries"]
    assert entry["summary"] == "<script>alert(1)</script>&"
    rows = read_csv(site.output / f"{DATA_DIR}/catalogue.csv")
    record = dict(zip(rows[0], rows[1]))
    assert record["标题"] == "'" + '=HYPERLINK("http://example.com","点击")'
    assert record["内容概述"] == "<script>alert(1)</script>&"


def openapi_validator(output: Path, name: str) -> jsonschema.Draft202012Validator:
    spec = load(output, f"{DATA_DIR}/openapi.json")
    return jsonschema.Draft202012Validator({"components": spec["components"], "$ref": f"#/components/schemas/{name}"},
                                           format_checker=jsonschema.FormatChecker())


def test_the_service_answers_as_its_openapi_description_says(mixed: Site) -> None:
    from werkzeug.test import Client

    from xxgk.serve import site_app

    spec = load(mixed.output, f"{DATA_DIR}/openapi.json")
    assert spec["openapi"].startswith("3.1") and {"/search.json", "/ysqgk/query"} <= set(spec["paths"])
    client = Client(site_app(mixed.output))
    for query, status, schema in (("蓝鲸码头", 200, "Results"), ("", 200, "Results"), ("码" * 101, 400, "Error")):
        answer = client.get("/search.json", query_string={"q": query})
        assert answer.status_code == status and str(status) in spec["paths"]["/search.json"]["get"]["responses"]
        openapi_validator(mixed.output, schema).validate(answer.get_json())
    assert client.get("/search.json", query_string={"q": "蓝鲸码头"}).get_json()["total"] == 1
    names = {p["name"] for p in spec["paths"]["/search.json"]["get"]["parameters"]}
    assert {"q", "page", "sort", "column", "year", "topic"} <= names


def test_the_demo_trackers_status_files_are_as_described(demo_output: Path) -> None:
    check = openapi_validator(demo_output, "SealedStatus")
    files = list((demo_output / "ysqgk/status").glob("*.json"))
    assert files
    for path in files:
        assert re.fullmatch(r"[0-9a-f]{64}\.json", path.name)
        check.validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("bad", ["creativecommons.org/licenses/by/4.0", "javascript:alert(1)", 4])
def test_a_licence_that_is_not_a_web_address_is_refused_with_the_setting_named(bad: object) -> None:
    from foundation.errors import SettingsError
    from foundation.settings import resolve
    from tests.sitekit import ROOT
    from xxgk.build import load_settings

    base = load_settings(ROOT)["XXGK"]
    with pytest.raises(SettingsError, match="OPEN_DATA_LICENSE"):
        resolve({**base, "OPEN_DATA_LICENSE": bad})
