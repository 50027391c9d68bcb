"""The content schema of xxgk, declared once, as data.

Validation, the metadata box, listings, the search index, the feeds and the
editors' field reference are all derived from these declarations: adding a
field is one edit here.  Field lists follow ../shared/domain.md §2 (目录
fields), §6 (双公示 data items) and §7 (budgets).
"""
from __future__ import annotations

from typing import Any

from .fields import Column, Field

# 党政机关公文处理工作条例 第八条 lists the kinds of official documents; portals
# label the 会议纪要 kind in full and need 其他 for what fits none of them.
GENRES = (
    "决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知", "通报",
    "报告", "请示", "批复", "议案", "函", "会议纪要", "其他",
)
# 有效性 (domain.md §2): a document is in force until it 失效 (expires) or is 废止 (repealed).
IN_FORCE = "有效"
NOT_IN_FORCE = ("失效", "废止")
VALIDITY = (IN_FORCE, *NOT_IN_FORCE)


def not_in_force(meta: dict[str, Any]) -> str:
    """失效 or 废止 when the entry's 有效性 says it is no longer in force, '' otherwise (the one rule
    listings, search results, the annual report and new entries all use)."""
    value = meta.get("validity")
    return value if value in NOT_IN_FORCE else ""
# The one explanation of an attachment's `file` (docs, README and messages all use it).
ATTACHMENT_PATH = "附件相对于本文件所在文件夹的路径：把附件放进同一文件夹下的 files/ 文件夹，写 files/文件名"
# Words editors use for a kind of document that is not itself one of GENRES (第八条).
GENRE_MEANINGS = (
    ("公示", "公告"), ("公示公告", "公告"), ("通知公告", "通知"), ("告知书", "通知"), ("通告书", "通告"),
    ("纪要", "会议纪要"), ("会议记录", "会议纪要"), ("命令", "命令（令）"), ("令", "命令（令）"),
    ("复函", "函"), ("批示", "批复"), ("办法", "其他"), ("规定", "其他"), ("方案", "其他"),
)

COMMON_FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", "文件或信息的完整标题。", "关于做好2024年春节期间安全生产工作的通知",
          required=True, max_length=200, in_box=False, in_listing=True,
          search="text", boost=4.0, feed="title"),
    Field("column", "栏目", "column", "所属栏目，须与文件所在文件夹一致（可省略，省略时按文件夹确定）。",
          "tzgg", in_box=False, search="keyword"),
    Field("index_no", "索引号", "index_no",
          "政府信息公开目录索引号：机构代码/年份-五位流水号，全站唯一，一经使用不再更改或复用。",
          "{ORG}/2024-00012", required=True, in_listing=True, search="id"),
    Field("topic", "主题分类", "choice", "主题分类，两级，用反斜杠分隔。",
          "综合政务\\政务公开", required=True, choices_from="TOPICS", facet=True, search="keyword",
          feed="category", replace=(("/", "\\"),)),
    Field("issuer", "发文机关", "text", "发文机关全称；不填时与发布机构相同。", "东疆综合保税区管理委员会",
          max_length=100),
    Field("publisher", "发布机构", "choice", "负责发布的机构或部门。",
          "东疆综合保税区管理委员会", required=True, choices_from="PUBLISHERS", in_listing=True,
          facet=True, search="keyword"),
    Field("written_date", "成文日期", "date", "文件签发（形成）的日期。", "2024-01-05", required=True),
    Field("date", "发布日期", "date", "在本网站公开的日期；晚于今天的条目到期后才会发布。", "2024-01-08",
          required=True, in_listing=True, search="keyword"),
    Field("doc_no", "发文字号", "doc_no", "发文字号，年份用六角括号〔〕；没有文号的不填。",
          "津东疆管发〔2024〕3号", search="id", boost=8.0),
    Field("genre", "体裁分类", "choice", "公文种类。", "通知", required=True, choices=GENRES,
          meanings=GENRE_MEANINGS),
    Field("validity", "有效性", "choice", "有效、失效或废止；默认有效。", "有效",
          choices=VALIDITY, choice_slugs=("yx", "sx", "fz"), default="有效", facet=True, search="keyword"),
    Field("keywords", "关键词", "list", "三至五个关键词，用顿号或逗号分隔。", "安全生产、春节",
          search="text", boost=2.0),
    Field("summary", "内容概述", "longtext", "一两句话概括主要内容（纯文本）。",
          "部署春节期间安全生产检查和值班值守工作。", required=True, max_length=500,
          search="text", boost=2.0, feed="description"),
    Field("attachments", "附件", "attachments",
          f"附件列表，每项写 file 和 title：file 是{ATTACHMENT_PATH}；title 是附件名称。",
          "- file: files/2024年部门预算.pdf\n  title: 2024年部门预算公开表", in_box=False, feed="enclosure"),
    Field("status", "状态", "status", "published（发布）或 draft（草稿，不发布）；默认发布。",
          "published", in_box=False),
)

POLICY_KINDS = ("规章", "行政规范性文件", "其他政策文件", "政策解读")

PENALTY_PARTY_TYPES = ("法人及非法人组织", "自然人", "个体工商户")
# 行政处罚法 第九条 lists the kinds of administrative penalty.
PENALTY_CATEGORIES = (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件",
    "降低资质等级", "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭",
    "限制从业", "行政拘留", "其他",
)
_NATURAL = (("party_type", ("自然人",)),)
_ORGANISATION = (("party_type", ("法人及非法人组织", "个体工商户")),)
_SOLE_TRADER = (("party_type", ("个体工商户",)),)
_COMPANY = (("party_type", ("法人及非法人组织",)),)

COLUMNS: tuple[Column, ...] = (
    Column("tzgg", "通知公告", "本机关发布的通知、公告、通告等信息。", prefill=(("validity", IN_FORCE),)),
    Column(
        "xzcf", "行政处罚/公示",
        "行政处罚决定信息公示（双公示），公示期满后自动撤下。",
        (
            Field("party_name", "行政相对人名称", "text",
                  "企业、个体工商户的全称；自然人写全名，公开时自动打码为“张某某”（设置 NAME_MASK），"
                  "并检查标题、各字段、正文和附件中没有出现全名。", "天津某某物流有限公司",
                  required=True, max_length=100, search="text"),
            Field("party_type", "行政相对人类别", "choice", "法人及非法人组织、自然人或个体工商户。",
                  "法人及非法人组织", required=True, choices=PENALTY_PARTY_TYPES),
            Field("credit_code", "统一社会信用代码", "text", "18位统一社会信用代码；自然人不填。",
                  "91120116MA05ABCD1K", required_if=_ORGANISATION, forbidden_if=_NATURAL, search="id"),
            Field("legal_rep", "法定代表人", "text", "法人及非法人组织的法定代表人（负责人）姓名。", "李某某",
                  forbidden_if=_NATURAL + _SOLE_TRADER, max_length=50),
            Field("operator", "经营者", "text", "个体工商户的经营者姓名：写全名，公开时自动打码为“王某某”，"
                  "并检查全文和附件中没有出现全名。", "王五",
                  forbidden_if=_NATURAL + _COMPANY, max_length=50),
            Field("decision_no", "行政处罚决定书文号", "doc_no", "处罚决定书文号。",
                  "津东疆市监罚〔2024〕12号", required=True, search="id", boost=8.0),
            Field("violation_type", "违法行为类型", "text", "违法行为的类型。", "未按规定公示年度报告",
                  required=True, max_length=200, search="text"),
            Field("facts", "违法事实", "longtext", "主要违法事实（不写个人身份证号、电话、住址）。",
                  "经查，当事人……", required=True, max_length=2000),
            Field("basis", "处罚依据", "longtext", "处罚所依据的法律条款。",
                  "《中华人民共和国行政处罚法》第二十八条", required=True, max_length=1000),
            Field("penalty_categories", "处罚类别", "list", "处罚种类，可多项（行政处罚法 第九条）。",
                  "罚款、没收违法所得", required=True, choices=PENALTY_CATEGORIES),
            Field("penalty_content", "处罚内容", "longtext", "处罚决定的具体内容。", "罚款人民币伍仟元整。",
                  required=True, max_length=1000),
            # Above 1,000 万元 (一千万元) a 管委会's fine is rare and 元 written for 万元 likely.
            Field("fine", "罚款金额（万元）", "amount", "罚款金额，单位万元；没有罚款填0或不填。", "0.5",
                  plausible_max=1000),
            Field("confiscation", "没收违法所得、没收非法财物的金额（万元）", "amount",
                  "没收金额，单位万元。", "0", plausible_max=1000),
            Field("license", "暂扣或吊销证照名称及编号", "text", "涉及的证照名称及编号。", "",
                  max_length=200),
            Field("decision_date", "处罚决定日期", "date", "作出处罚决定的日期。", "2024-03-01",
                  required=True),
            Field("valid_until", "处罚有效期", "date", "处罚决定的有效期至。", "2025-03-01"),
            Field("publicity_end", "公示截止期", "date", "公示截止日期；不填时按公示期限规则计算。",
                  "2027-03-01"),
            Field("stop_date", "提前停止公示日期", "date",
                  "经当事人申请提前停止公示的日期（市场监督管理行政处罚信息公示规定 第十四条）；到该日起不再公示。",
                  "2025-06-01", in_box=False),
            Field("decision_changed_date", "决定变更日期", "date",
                  "处罚决定被变更、撤销、确认违法或无效的日期（行政处罚法 第四十八条）。", "2025-05-10",
                  in_box=False),
            Field("withdrawn_date", "撤下公示日期", "date",
                  "因处罚决定变更、撤销等撤下公示的日期；填写后页面只显示撤下说明。", "2025-05-12",
                  required_with=("withdrawal_reason",), in_box=False),
            Field("withdrawal_reason", "撤下原因", "longtext",
                  "撤下公示的原因，公开显示，不要写当事人信息。", "该行政处罚决定已被依法撤销。",
                  max_length=300, required_with=("withdrawn_date",), in_box=False),
            Field("authority", "处罚机关", "text", "作出处罚决定的机关。", "东疆综合保税区市场监督管理局",
                  required=True, max_length=100, search="text"),
            Field("remarks", "备注", "longtext", "其他需要说明的事项。", "", max_length=500),
        ),
    ),
    Column(
        "czyjs", "财政预算决算",
        "部门预算、决算及预算调整信息，附原始文件下载（预算法 第十四条）。",
        (
            Field("fiscal_year", "预算年度", "year", "预算或决算所属年度。", "2024", required=True,
                  facet=True, search="keyword"),
            Field("budget_kind", "公开类型", "choice", "预算、决算或调整。", "预算", required=True,
                  choices=("预算", "决算", "调整"), choice_slugs=("ys", "js", "tz"), facet=True, search="keyword"),
            Field("department", "预算单位", "text", "预算或决算所属的部门或单位。",
                  "东疆综合保税区管理委员会（本级）", required=True, max_length=100),
            Field("approval_date", "批复日期", "date", "预算或决算获批复的日期。", "2024-01-20",
                  required=True),
        ),
    ),
    Column(
        "zcwj", "政策文件",
        "本机关制发的规章、行政规范性文件、其他政策文件及政策解读。",
        (
            Field("policy_kind", "文件类型", "choice", "规章、行政规范性文件、其他政策文件或政策解读。",
                  "行政规范性文件", required=True, choices=POLICY_KINDS, choice_slugs=("gz", "gfxwj", "qtzcwj", "zcjd"), facet=True, search="keyword"),
            Field("validity_date", "失效/废止日期", "date", "文件失效或废止的日期；有效的文件不填。",
                  "2025-06-30", required_if=(("validity", NOT_IN_FORCE),),
                  forbidden_if=(("validity", (IN_FORCE,)),)),
            Field("replaced_by", "替代文件", "ref", "替代本文件的新文件的索引号。",
                  "{ORG}/2025-00031", forbidden_if=(("validity", (IN_FORCE,)),)),
            Field("interprets", "解读的文件", "ref", "政策解读所解读的文件的索引号。",
                  "{ORG}/2024-00007",
                  required_if=(("policy_kind", ("政策解读",)),)),
        ),
        prefill=(("validity", IN_FORCE),),
    ),
)

# The statutory structure of the platform (国办公开办函〔2019〕61号, domain.md §1).
SECTION_GUIDE = ("政府信息公开指南", "zn.html")
SECTION_RULES = ("政府信息公开制度", "zd.html")
SECTION_PROACTIVE = ("法定主动公开内容", "fdzdgknr/")
SECTION_REPORTS = ("政府信息公开年报", "nb/")
STRUCTURE = (SECTION_GUIDE, SECTION_RULES, SECTION_PROACTIVE, SECTION_REPORTS)

# Standalone pages (指南, 制度, 关于本网, 网站声明 …) live in content/pages/, each in one of
# these parts of the site (the portal groups them so; the field below offers them).
PAGE_SECTIONS = ("指南", "制度", "网站")
PAGES_KEY = "pages"
PAGE_FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", "页面标题。", "政府信息公开指南", required=True, max_length=100,
          search="text", boost=4.0),
    Field("slug", "网址短名", "text", "页面网址，小写字母、数字和连字符，如 zn 生成 /zn.html。", "zn",
          required=True, max_length=40),
    Field("section", "所属部分", "choice", "页面在网站结构中的位置。", "指南", required=True,
          choices=PAGE_SECTIONS),
    Field("date", "更新日期", "date", "页面内容最近一次更新的日期。", "2024-01-08", required=True),
    Field("summary", "内容概述", "longtext", "一句话概括页面内容（纯文本）。", "", max_length=300),
    Field("order", "排序", "number", "同一部分内的排列顺序，数字小的在前。", "1", default=100,
          in_box=False),
)

# Annual reports (政府信息公开工作年度报告, 条例 第四十九、五十条) live in content/nb/,
# one <year>.md each; plugins.annual_report computes their tables from the site's
# entries and application records.  The front matter holds only what no record
# tells: the figures of 国办公开办函〔2021〕30号 Table 二 and Table 四 the office
# keeps in its own ledgers.
REPORTS_KEY = "nb"
_LEDGER = "本网站没有这类记录，由编辑根据本机关业务台账填写，报告中注明为填报数据。"
# Table 四: 行政复议, and 行政诉讼 split by whether a 复议 came first; result labels are
# the template's column labels, verbatim.
REVIEW_GROUPS = (("review", "行政复议"), ("direct", "行政诉讼（未经复议直接起诉）"),
                 ("after_review", "行政诉讼（复议后起诉）"))
REVIEW_RESULTS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                  ("pending", "尚未审结"))
REVIEW_TOTAL = ("total", "总计")
REPORT_FIELDS: tuple[Field, ...] = (
    Field("year", "报告年度", "year", "报告所属的年度；文件名须为 <年度>.md。", "2023", required=True),
    Field("date", "发布日期", "date", "报告公开的日期，须在报告年度结束之后（条例 第四十九条：部门于次年1月31日前公布）；"
          "晚于今天的到期后才会发布。", "2024-01-26", required=True),
    Field("title", "标题", "text", "不填时为「<机关全称><年度>年政府信息公开工作年度报告」。", "", max_length=100),
    next(f for f in COMMON_FIELDS if f.name == "status"),
    Field("licensing", "行政许可 本年处理决定数量", "number", "表二 第二十条第（五）项。" + _LEDGER, "156",
          required=True),
    Field("enforcement", "行政强制 本年处理决定数量", "number", "表二 第二十条第（六）项。" + _LEDGER, "0",
          required=True),
    Field("fees", "行政事业性收费 本年收费金额（万元）", "amount", "表二 第二十条第（八）项，单位万元。" + _LEDGER, "0",
          required=True),
    *(Field(f"{group}_{result}", f"{group_label} {result_label}", "number",
            "表四，由编辑根据本机关行政复议、行政诉讼案件台账填写"
            + ("；可不填（自动相加），填写时须等于前四项之和。" if result == REVIEW_TOTAL[0] else "。"),
            "0", required=result != REVIEW_TOTAL[0])
      for group, group_label in REVIEW_GROUPS for result, result_label in (*REVIEW_RESULTS, REVIEW_TOTAL)),
)

# Pages every site must have: the statutory 指南 and 制度 (条例 第十二条) and the
# pages every footer links to (国办发〔2017〕47号 practice, domain.md §1).
REQUIRED_PAGES: dict[str, str] = {"zn": "政府信息公开指南", "zd": "政府信息公开制度",
                                  "gybw": "关于本网", "wzsm": "网站声明"}

COLUMNS_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
COLUMNS_BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}


def one_of(words: list[str] | tuple[str, ...]) -> str:
    """「a、b、c 或 d」: the allowed values in a message."""
    return "、".join(words[:-1]) + f" 或 {words[-1]}" if len(words) > 1 else "".join(words)


def fields_for(column_key: str) -> tuple[Field, ...]:
    """Return every field an entry of the column (or a page, or a report) has, common fields first."""
    if column_key == PAGES_KEY:
        return PAGE_FIELDS
    if column_key == REPORTS_KEY:
        return REPORT_FIELDS
    return COMMON_FIELDS + COLUMNS_BY_KEY[column_key].fields


def field_map(column_key: str) -> dict[str, Field]:
    """Return the column's fields by front-matter key."""
    return {f.name: f for f in fields_for(column_key)}


def all_fields() -> dict[str, Field]:
    """Return every field of every column by key (for search and docs)."""
    out: dict[str, Field] = {f.name: f for f in COMMON_FIELDS}
    for column in COLUMNS:
        out.update({f.name: f for f in column.fields})
    return out
