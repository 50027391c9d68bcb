"""Site settings of xxgk, declared once with defaults, help and a check each.

`pelicanconf.py` sets them as the namespaced dict ``XXGK``; `resolve()` merges
that dict over the declared defaults into a *new* dict (the user's dict is
never mutated) and reports every unknown key and every wrong value at once.
The same declarations generate the settings reference in docs/.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable
from zoneinfo import ZoneInfo

from .errors import SettingsError

REQUIRED = object()  # sentinel: the site must set this itself
TIMEZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    check: Callable[[Any], str | None] = lambda v: None  # returns a problem or None


def _nonempty_str(v: Any) -> str | None:
    return None if isinstance(v, str) and v.strip() else "应为非空字符串"


def _pattern(regex: str, expected: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if not isinstance(v, str) or not re.fullmatch(regex, v):
            return f"格式不正确（应为 {expected}）"
        return None
    return check


def _slug_map(v: Any) -> str | None:
    """A list of (value, slug) pairs with unique ASCII slugs."""
    if not isinstance(v, (list, tuple)) or not v:
        return "应为 (名称, 网址短名) 的非空列表"
    slugs: set[str] = set()
    for item in v:
        if (not isinstance(item, (list, tuple)) or len(item) != 2
                or not all(isinstance(x, str) and x for x in item)):
            return f"{item!r} 应为 (名称, 网址短名)"
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", item[1]):
            return f"网址短名 {item[1]!r} 只能用小写字母、数字和连字符"
        if item[1] in slugs:
            return f"网址短名 {item[1]!r} 重复"
        slugs.add(item[1])
    return None


def _positive_int(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) and v > 0 else "应为正整数"


def _today(v: Any) -> str | None:
    if v is None or isinstance(v, dt.date):
        return None
    if isinstance(v, str):
        try:
            dt.date.fromisoformat(v)
            return None
        except ValueError:
            pass
    return "应为 None（使用当天日期）或 YYYY-MM-DD"


def _penalty_policy(v: Any) -> str | None:
    keys = {"short_months", "long_months", "low_fine_max", "short_categories", "term_categories"}
    if not isinstance(v, dict) or set(v) != keys:
        return f"应为含 {'、'.join(sorted(keys))} 的字典"
    if not all(isinstance(v[k], int) and v[k] > 0 for k in ("short_months", "long_months")):
        return "short_months 和 long_months 应为正整数"
    if not isinstance(v["low_fine_max"], (int, float)) or v["low_fine_max"] < 0:
        return "low_fine_max 应为不小于 0 的数字（万元）"
    if _str_list(v["short_categories"]) or _str_list(v["term_categories"]):
        return "short_categories 和 term_categories 应为处罚类别列表"
    return None


def _url_or_empty(v: Any) -> str | None:
    if v == "" or (isinstance(v, str) and re.fullmatch(r"https?://[^\s<>\"]+", v)):
        return None
    return "应为 http(s):// 开头的网址，或空字符串"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "应为 True 或 False"


def _str_list(v: Any) -> str | None:
    if isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v):
        return None
    return "应为字符串列表"


SETTINGS: tuple[Setting, ...] = (
    Setting("SITE_NAME", REQUIRED, "网站名称，显示在每页页眉。", _nonempty_str),
    Setting("ORG_NAME", REQUIRED, "本机关全称（主办单位）。", _nonempty_str),
    Setting("ORG_CODE", REQUIRED, "索引号前缀：9位组织机构代码或18位统一社会信用代码。",
            _pattern(r"\d{8}[\dX]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}",
                     "9位机构代码或18位统一社会信用代码")),
    Setting("CONTACT", REQUIRED, "页脚联系方式（地址、电话）。", _nonempty_str),
    Setting("SITE_CODE", REQUIRED, "网站标识码，10位数字或字母。",
            _pattern(r"[0-9A-Za-z]{10}", "10位网站标识码，如 1200000001")),
    Setting("ICP", REQUIRED, "ICP备案号，如 津ICP备12345678号-1。",
            _pattern(r".+ICP备\d+号(-\d+)?", "X ICP备12345678号-1")),
    Setting("ICP_URL", "https://beian.miit.gov.cn/", "ICP备案号链接。", _nonempty_str),
    Setting("PSB", REQUIRED, "公安机关备案号，如 津公网安备 12011602000001号。",
            _pattern(r".+公网安备 ?\d{14}号", "津公网安备 12011602000001号")),
    Setting("PSB_URL", REQUIRED, "公安机关备案号链接。", _nonempty_str),
    Setting("ERROR_REPORT_URL", REQUIRED, "「我为政府网站找错」链接。", _nonempty_str),
    Setting("OFFICIAL_PHONES", (), "本机关对外公布的电话号码（隐私检查放行）。", _str_list),
    Setting("OCR_REQUIRED", False, "图片和扫描页必须经文字识别（tesseract-ocr）检查个人信息：True 时未能识别即为错误，"
            "False 时只警告（publishconf.py 设为 True）。", _bool),
    Setting("MAX_SOURCE_MB", 2, "一个 Markdown 文件最大多少 MB（最长的法律约 0.3 MB）；超过时报错，防止过大的文件拖垮生成。",
            _positive_int),
    Setting("MAX_MARKDOWN_NESTING", 32, "正文一个段落中未配对的 [ 或 ( 最多多少个、列表和引用最多嵌套多少层；超过时报错"
            "（这类写法会让 Markdown 解析变得极慢）。", _positive_int),
    Setting("MAX_ATTACHMENT_MB", 200, "一个附件最大多少 MB；超过时报错。", _positive_int),
    Setting("MAX_TABLE_CELLS", 1_000_000, "一个 Excel 附件最多读取多少个单元格（预算表格和隐私检查）；超过时报错。",
            _positive_int),
    Setting("MAX_ARCHIVE_FILES", 2000, "一个 ZIP 附件（或 Office 文件）中最多多少个文件；超过时报错。", _positive_int),
    Setting("MAX_EXPANDED_MB", 512, "一个附件解压后（含其中的文件）最大多少 MB；超过时报错，防止压缩炸弹。", _positive_int),
    Setting("TOPICS", REQUIRED, "主题分类：(名称, 网址短名) 列表。", _slug_map),
    Setting("PUBLISHERS", REQUIRED, "发布机构：(名称, 网址短名) 列表。", _slug_map),
    Setting("PAGE_SIZE", 20, "目录每页条数。", _positive_int),
    Setting("HOME_LATEST", 6, "首页每个栏目显示的最新条数。", _positive_int),
    Setting("FEED_SIZE", 50, "每个订阅源的条数。", _positive_int),
    Setting("TODAY", None, "构建日期（None 表示当天），用于定时发布和公示期限。", _today),
    Setting("PENALTY_PUBLICITY", {
        "short_months": 3, "long_months": 36, "low_fine_max": 1,
        "short_categories": ["警告", "通报批评", "罚款"], "term_categories": ["限制开展生产经营活动", "限制从业"],
    }, "行政处罚公示期限规则：仅受到 short_categories 中的处罚且罚款不超过 low_fine_max 万元的公示 short_months "
       "个月，其他公示 long_months 个月；term_categories 中的处罚期限更长的，公示到其期限届满"
       "（市场监督管理行政处罚信息公示规定 第十三条）。", _penalty_policy),
    Setting("NAME_MASK", "{surname}某某", "自然人姓名的公开形式，{surname} 为姓（行政处罚法 第五十条）。",
            _pattern(r"[^{}]*(\{surname\})?[^{}]*", "含 {surname} 的文字，如 {surname}某某")),
    Setting("PROACTIVE_WORKDAYS", 20, "主动公开信息应在成文后多少个工作日内发布（条例 第二十六条），超过时警告。",
            _positive_int),
    Setting("BUDGET_DAYS", 20, "预算、决算应在批复后多少日内公开（预算法 第十四条），超过时警告。", _positive_int),
    Setting("REPORT_DUE", "01-31", "年度报告的公布期限（月-日）：部门为 01-31，县级以上人民政府为 03-31"
            "（条例 第四十九、五十条），晚于该日发布时警告。", _pattern(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", "MM-DD，如 01-31")),
    Setting("WITHDRAWAL_WORKDAYS", 3, "处罚决定变更、撤销后应在多少个工作日内撤下公示（行政处罚法 第四十八条），"
            "超过时警告。", _positive_int),
    Setting("APPLICATIONS_PATH", "applications",
            "依申请公开登记记录所在文件夹（相对于站点文件夹，不在 content/ 内，不会发布）。", _nonempty_str),
    Setting("OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/",
            "开放数据（data/ 下的政府信息公开目录）的许可协议网址，写入 DCAT 描述；不填（\"\"）时不声明许可。"
            "默认为署名 4.0 国际（CC BY 4.0），请按本机关的规定确认。", _url_or_empty),
    Setting("HOLIDAYS_PATH", "data/holidays",
            "补充的节假日安排数据文件夹（每年一个 YYYY.yaml，录入国务院办公厅的放假通知）。", _nonempty_str),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def _path_or_empty(v: Any) -> str | None:
    return None if v is None or isinstance(v, str) else "应为文件夹路径（文字）或不填"


# Settings of a build beside the XXGK dict, at the top level of Pelican's settings: the xxgk
# commands set them for each build (a preview keeps caches of its own; an atomic build names
# the live build it may link unchanged files from), and a site may set them in pelicanconf.py.
BUILD_SETTINGS: tuple[Setting, ...] = (
    Setting("XXGK_CACHE", True, "是否使用构建缓存（读取、检查、表格和隐私检查的结果）；False 时每次全部重新处理。", _bool),
    Setting("XXGK_CACHE_PATH", "", "构建缓存所在文件夹；不填时为站点文件夹下的 .xxgk-cache"
            "（make serve、make html 的预览用 .xxgk-preview/cache，与正式发布分开）。", _path_or_empty),
    Setting("SEARCH_CACHE_PATH", "", "检索索引的持久文件夹（跨构建增量更新）；不填时为构建缓存文件夹下的 search。",
            _path_or_empty),
    Setting("XXGK_STATIC_SEARCH", True, "是否写出静态检索索引和检索页（output/_search/static/、search/index.html），"
            "使网站复制到任何静态主机上也能检索；make serve 的预览由检索服务回答，不写（每次修改后少用几秒）。", _bool),
    Setting("XXGK_PREVIOUS_OUTPUT", "", "上一次构建的输出文件夹：内容未变的文件以硬链接复用，不再复制。"
            "由 xxgk build 自动设置为当前网站，一般不要手工设置。", _path_or_empty),
)
BUILD_SETTINGS_BY_NAME = {s.name: s for s in BUILD_SETTINGS}


# The environment of the site service's processes (xxgk serve-production, gunicorn): how it
# runs in production, read by xxgk/serve.py (docs/search.md, SECURITY.md).
SERVICE_SETTINGS: tuple[Setting, ...] = (
    Setting("XXGK_OUTPUT", "output", "服务所提供网站的文件夹（make publish 的 output/）。", _nonempty_str),
    Setting("XXGK_TRACKER_SLOTS", 1, "办理进度查询同时进行的查询码校验数（所有进程合计；每次校验有意放慢以防猜测）。",
            _positive_int),
    Setting("XXGK_TRACKER_PER_MINUTE", 6.0, "每个访问者每分钟可做的查询码校验次数（先允许连续 3 次）。", lambda v: None),
    Setting("XXGK_TRUSTED_PROXIES", "", "可信的反向代理地址（逗号分隔）：只相信它们转发的 X-Forwarded-For。",
            lambda v: None),
    Setting("XXGK_RUNTIME", "", "各进程共享的锁文件所在文件夹；不填时在系统临时文件夹中。", _path_or_empty),
)
SERVICE_SETTINGS_BY_NAME = {s.name: s for s in SERVICE_SETTINGS}


def build_setting(settings: dict[str, Any], name: str) -> Any:
    """A build setting's value, or its declared default when it is not set (None or '')."""
    value = settings.get(name)
    return BUILD_SETTINGS_BY_NAME[name].default if value is None or value == "" else value


def check_build_settings(settings: dict[str, Any]) -> None:
    """Raise SettingsError naming every build setting whose value does not fit."""
    problems = [f"{s.name}: {p}，当前值 {settings[s.name]!r}" for s in BUILD_SETTINGS
                if s.name in settings and (p := s.check(settings[s.name]))]
    if problems:
        raise SettingsError("构建设置有误（pelicanconf.py）:\n" + "\n".join(problems))


def resolve(user: dict[str, Any] | None) -> dict[str, Any]:
    """Merge the site's XXGK dict over the declared defaults; raise on any problem."""
    user = dict(user or {})
    problems: list[str] = []
    for key in user:
        if key not in SETTINGS_BY_NAME:
            near = difflib.get_close_matches(key, SETTINGS_BY_NAME, n=1)
            hint = f"，是否应为 {near[0]}？" if near else ""
            problems.append(f"XXGK[{key!r}]: 未知的设置项{hint}")
    merged: dict[str, Any] = {}
    for s in SETTINGS:
        value = user.get(s.name, s.default)
        if value is REQUIRED:
            problems.append(f"XXGK[{s.name!r}]: 缺少必填设置（{s.help}）")
            continue
        problem = s.check(value)
        if problem:
            problems.append(f"XXGK[{s.name!r}]: {problem}，当前值 {value!r}")
        merged[s.name] = value
    if problems:
        raise SettingsError("站点设置有误（pelicanconf.py）:\n" + "\n".join(problems))
    today = merged["TODAY"]
    merged["TODAY"] = (dt.date.fromisoformat(today) if isinstance(today, str)
                       else today or dt.datetime.now(TIMEZONE).date())
    return merged
