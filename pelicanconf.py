"""Settings of the demo site: 东疆综合保税区管理委员会 政府信息公开专栏.

Pelican's own settings come first; xxgk's are the namespaced dict XXGK,
declared with defaults and checks in foundation/settings.py (docs/settings.md).
"""

SITENAME = "东疆综合保税区管理委员会 政府信息公开"
SITEURL = ""
# Feeds and sitemap.xml need absolute URLs even in preview (make serve's address).
FEED_DOMAIN = "http://localhost:8000"
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Order is signal order: the schema reads and checks content before the
# portal lays it out and the feeds and sitemap describe it.
PLUGIN_PATHS: list[str] = []
PLUGINS = [
    "plugins.reuse",  # unchanged output files are links to the previous build's
    "plugins.content_schema",
    "plugins.attachments",
    "plugins.publication",
    "plugins.portal",
    "plugins.applications",
    "plugins.annual_report",  # after the columns and applications it counts
    "plugins.feeds",
    "plugins.search",
    "plugins.opendata",  # the catalogue as data files (data/), after every column is decided
    "plugins.sitemap",
    "plugins.pii_guard",  # last: scans everything the others wrote
]

# Every Markdown file under content/ is read, so one outside the column
# folders is reported instead of silently left out.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []  # attachments are copied by plugins.attachments
ARTICLE_URL = "{column}/{slug}.html"
ARTICLE_SAVE_AS = "{column}/{slug}.html"
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
# plugins.portal writes every listing itself (columns, years, filters, home).
DIRECT_TEMPLATES: list[str] = []
INDEX_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
# plugins.feeds writes every feed with feedgen.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
SLUGIFY_SOURCE = "basename"
# Pelican groups content by slug to find translations by comparing every entry with every
# other (quadratic: 3.5 s at 20,000 entries, docs/performance.md).  An xxgk site has no
# translations (a slug is the 索引号's serial, unique per site), so the grouping is off, and
# entries are ordered as it left them: newest first, then by slug.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None


def _newest_first(entry):  # noqa: ANN001, ANN202 - a Pelican setting
    return (-entry.date.timestamp(), entry.slug)


ARTICLE_ORDER_BY = _newest_first
DELETE_OUTPUT_DIRECTORY = True
# Templates escape everything they print; an entry's sanitised body is the one piece of HTML
# (the `sanitised` filter).  plugins.content_schema turns autoescape on whatever this says.
# auto_reload off: every build makes its environments anew, so checking each template file's
# date on every import (9 components × every page) only costs (17,000 stat calls at 1,512 entries).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "extensions": [],
                     "auto_reload": False}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
TYPOGRIFY = False

XXGK = {
    "SITE_NAME": "东疆综合保税区管理委员会",
    "ORG_NAME": "天津东疆综合保税区管理委员会",
    "ORG_CODE": "11120116MB1K23456X",
    "CONTACT": "天津市滨海新区东疆综合保税区呼伦贝尔路416号　电话：022-2560 1234",
    "SITE_CODE": "1201160012",
    "ICP": "津ICP备12000001号-1",
    "ICP_URL": "https://beian.miit.gov.cn/",
    "PSB": "津公网安备 12011602000001号",
    "PSB_URL": "https://beian.mps.gov.cn/#/query/webSearch?code=12011602000001",
    "ERROR_REPORT_URL": "https://zfwzzc.www.gov.cn/check_web/errorInfo/jcInfoNew?sitecode=1201160012",
    "OFFICIAL_PHONES": ["022-25601234", "022-25601235", "022-25601236"],
    "TOPICS": [
        ("综合政务\\政务公开", "zwgk"),
        ("综合政务\\应急管理", "yjgl"),
        ("综合政务\\其他", "zwqt"),
        ("财政、金融、审计\\财政", "cz"),
        ("财政、金融、审计\\金融", "jr"),
        ("市场监管、安全生产监管\\市场监管", "scjg"),
        ("市场监管、安全生产监管\\安全生产", "aqsc"),
        ("商贸、海关、旅游\\对外贸易", "dwmy"),
        ("商贸、海关、旅游\\旅游", "ly"),
        ("城乡建设、环境保护\\城市规划", "csgh"),
        ("城乡建设、环境保护\\环境保护", "hjbh"),
        ("交通\\港口", "gk"),
        ("文化、广电、新闻出版\\文化", "wh"),
        ("劳动、人事、监察\\人事", "rs"),
        ("科技、教育\\科技", "kj"),
    ],
    "PUBLISHERS": [
        ("东疆综合保税区管理委员会", "gwh"),
        ("党政办公室", "dzb"),
        ("财政局", "czj"),
        ("市场监督管理局", "scjgj"),
        ("文化和旅游局", "whlyj"),
        ("建设和交通局", "jsjtj"),
        ("生态环境和应急管理局", "yjglj"),
        ("政务服务办公室", "zwfwb"),
        ("综合执法大队", "zhzfdd"),
        ("经济发展局", "jjfzj"),
    ],
}
