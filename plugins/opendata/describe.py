"""Descriptions of what the site publishes as data: the dataset in DCAT (JSON-LD), and the
site service's JSON (search, the tracker's status files) in OpenAPI."""
from __future__ import annotations

from typing import Any

from foundation.display import absolute

DCAT = "dcat.jsonld"
SCHEMA = "catalogue.schema.json"
OPENAPI = "openapi.json"

# W3C DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/) with Dublin Core terms and FOAF.
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:issued": {"@type": "xsd:date"}, "dct:modified": {"@type": "xsd:date"},
    "dcat:downloadURL": {"@type": "@id"}, "dcat:accessURL": {"@type": "@id"}, "dct:license": {"@type": "@id"},
    "dct:conformsTo": {"@type": "@id"}, "dcat:landingPage": {"@type": "@id"},
    "dcat:mediaType": {"@type": "@id"}, "dct:language": {"@type": "@id"},
}
# DCAT 3 takes a media type and a language as IRIs: IANA's register, and the Library of
# Congress's ISO 639-1 code list (the one DCAT's examples use).
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CHINESE = "http://id.loc.gov/vocabulary/iso639-1/zh"


def _distribution(base: str, name: str, title: str, media: str, conforms: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "dcat:Distribution", "dct:title": title,
                           "dcat:downloadURL": absolute(base, f"data/{name}"), "dcat:mediaType": MEDIA_TYPES + media}
    if conforms:
        out["dct:conformsTo"] = absolute(base, f"data/{conforms}")
    return out


def dcat(settings: dict[str, Any], base: str, modified: str, columns: list[tuple[str, str, int]]) -> dict[str, Any]:
    """The catalogue as a DCAT dataset: the whole catalogue and each column, each in JSON and CSV."""
    org = settings["ORG_NAME"]
    distributions = [_distribution(base, "catalogue.json", "政府信息公开目录（JSON）", "application/json", SCHEMA),
                     _distribution(base, "catalogue.csv", "政府信息公开目录（CSV，UTF-8）", "text/csv")]
    for key, name, _count in columns:
        distributions += [_distribution(base, f"{key}.json", f"{name}（JSON）", "application/json", SCHEMA),
                          _distribution(base, f"{key}.csv", f"{name}（CSV，UTF-8）", "text/csv")]
    dataset: dict[str, Any] = {
        "@type": "dcat:Dataset",
        # The dataset is not any one of its files: its IRI is this description's.
        "@id": absolute(base, f"data/{DCAT}#dataset"),
        "dct:title": f"{org}政府信息公开目录",
        "dct:description": "本机关主动公开的政府信息的目录（《中华人民共和国政府信息公开条例》第十二条）：每条信息的索引号、"
                           "名称、内容概述、生成日期等元数据，及其网页和附件的网址。"
                           + "；".join(f"{name} {count} 条" for _key, name, count in columns) + "。",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": org},
        "dct:modified": modified,
        "dct:language": CHINESE,
        "dcat:landingPage": absolute(base, ""),
        "dcat:keyword": ["政府信息公开", "政府信息公开目录", *(name for _key, name, _count in columns)],
        "dcat:distribution": distributions,
    }
    if settings["OPEN_DATA_LICENSE"]:
        dataset["dct:license"] = settings["OPEN_DATA_LICENSE"]
    return {"@context": CONTEXT, **dataset}


def openapi(settings: dict[str, Any], base: str, parts: list[Any]) -> dict[str, Any]:
    """OpenAPI 3.1 of what the site serves as JSON: the descriptions the plugins that serve it
    return (foundation.signals.service_descriptions: search, the tracker)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for part in parts:
        paths.update(part.paths)
        schemas.update(part.schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{settings['SITE_NAME']} 检索与办理进度查询接口", "version": "1",
                 "description": "网站检索服务的 JSON 接口，以及依申请公开办理进度的公开状态文件。"},
        "servers": [{"url": base}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items()))},
    }
