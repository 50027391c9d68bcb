"""The search service's JSON (/search.json) in OpenAPI 3.1, for data/openapi.json (plugins.opendata,
through foundation.signals.service_descriptions)."""
from __future__ import annotations

from typing import Any

from foundation.signals import ServiceDescription

from . import docs
from .engine import MAX_QUERY_CHARS


def _search_parameters(keywords: tuple[str, ...]) -> list[dict[str, Any]]:
    params = [
        {"name": "q", "in": "query", "required": False, "description": "搜索词：词语、句子中的一段、文号或索引号；"
         "用引号（\"\"、“”、「」）括起的必须原样出现。空时不搜索。", "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS}},
        {"name": "page", "in": "query", "required": False, "description": "页码，从 1 开始；每页 10 条。",
         "schema": {"type": "integer", "minimum": 1, "default": 1}},
        {"name": "sort", "in": "query", "required": False, "description": "relevance 按相关度，date 按发布日期（新的在前）。",
         "schema": {"type": "string", "enum": ["relevance", "date"], "default": "relevance"}},
    ]
    params += [{"name": k, "in": "query", "required": False, "description": f"只看 {k} 为该值的信息（栏目也可写中文名称）。",
                "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS}} for k in keywords]
    return params


_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string", "description": "给人看的中文说明"},
                                                                  "query": {"type": "string"}}}
_HIT = {"type": "object", "required": ["title", "url", "column", "date", "index_no", "doc_no", "snippet"],
        "properties": {"title": {"type": "string"},
                       # SITEURL joined with the page: a path when the site is built with SITEURL "".
                       "url": {"type": "string", "format": "uri-reference"},
                       "column": {"type": "string", "description": "栏目名称"},
                       "date": {"type": "string", "description": "发布日期 YYYY-MM-DD"},
                       "index_no": {"type": "string"}, "doc_no": {"type": "string"},
                       "snippet": {"type": "string", "description": "摘要，HTML：已转义，命中的词在 <mark> 中"}}}
_RESULTS = {"type": "object", "required": ["query", "total", "page", "results", "facets"],
            "properties": {"query": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
                           "page": {"type": "integer", "minimum": 1},
                           "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                           "facets": {"type": "object", "properties": {
                               "column": {"type": "object", "additionalProperties": {"type": "integer"}},
                               "year": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}


def _error(text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def description(_settings: dict[str, Any]) -> ServiceDescription:
    paths = {"/search.json": {"get": {
        "summary": "全文检索", "operationId": "search", "parameters": _search_parameters(docs.spec().keywords),
        "responses": {"200": {"description": "检索结果（q 为空时 total 为 0）", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Results"}}}},
            "400": _error("搜索词太长、页码或排序方式不对"), "404": _error("页码超出了结果的范围"),
            "503": _error("网站还没有生成检索索引")}}}}
    return ServiceDescription(paths, {"Results": _RESULTS, "Hit": _HIT, "Error": _ERROR})
