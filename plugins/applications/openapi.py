"""The tracker's public files and its no-JavaScript query in OpenAPI 3.1, for data/openapi.json
(plugins.opendata, through foundation.signals.service_descriptions)."""
from __future__ import annotations

from typing import Any

from foundation.requests import codes
from foundation.signals import ServiceDescription

from .public import PUBLIC_KEYS, QUERY_PATH, STATUS_DIR

# The tracker's status files (plugins.applications, foundation.requests.codes.seal): sealed with
# a key only the holder of the application's query code can derive, so the description says how.
_SEALED = {"type": "object", "required": ["v", "alg", "iv", "data"], "additionalProperties": False,
           "properties": {"v": {"const": 1}, "alg": {"const": "A256GCM"},
                          "iv": {"type": "string", "contentEncoding": "base64"},
                          "data": {"type": "string", "contentEncoding": "base64"}}}




def description(_settings: dict[str, Any]) -> ServiceDescription:
    html = {"content": {"text/html": {}}}
    paths = {
        f"/{STATUS_DIR}/{{file}}.json": {"get": {
            "summary": "一件依申请公开的办理进度（加密）", "operationId": "applicationStatus",
            "description": (
                "静态文件。file = SHA-256（\"" + codes.FILE_PREFIX.decode() + "\" 加派生密钥）的十六进制；"
                "派生密钥 = PBKDF2-HMAC-SHA256（查询码去掉分隔符并大写，盐为 \"" + codes.SALT_PREFIX
                + "\" 加申请编号，" + str(codes.ITERATIONS) + " 轮，32 字节）；解密密钥 = SHA-256（\""
                + codes.ENC_PREFIX.decode() + "\" 加派生密钥），AES-256-GCM。解密得到的 JSON 有这些键："
                + "、".join(PUBLIC_KEYS) + "。没有查询码的人无法得知文件属于哪件申请，也读不出内容。"),
            "parameters": [{"name": "file", "in": "path", "required": True,
                            "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}],
            "responses": {"200": {"description": "加密的办理状态", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/SealedStatus"}}}},
                "404": {"description": "没有这个文件（编号或查询码不对）"}}}},
        QUERY_PATH: {"get": {
            "summary": "办理进度查询（不用 JavaScript 的网页）", "operationId": "trackerPage",
            "parameters": [{"name": "number", "in": "query", "required": True, "schema": {"type": "string"}},
                           {"name": "code", "in": "query", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "查询结果网页", **html},
                          "400": {"description": "没有填编号或查询码", **html},
                          "404": {"description": "编号或查询码不对", **html},
                          "429": {"description": "查询过于频繁（见 Retry-After）", **html},
                          "503": {"description": "查询的人较多（见 Retry-After）", **html}}}},
    }
    return ServiceDescription(paths, {"SealedStatus": _SEALED})
