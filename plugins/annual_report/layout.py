"""The national template of the annual report, as data: section titles and table labels, verbatim.

国办公开办函〔2021〕30号 (中华人民共和国政府信息公开工作年度报告格式) fixes six
sections and three tables; every office must publish them exactly so, which is
what lets readers and the 主管部门 compare reports (条例 第五十条第二款: the
national office publishes one uniform format).  Applicant columns and outcome
rows of Table 三 are the vocabulary of the application records
(foundation/requests/terms.py), so they are imported, not repeated.
"""
from __future__ import annotations

from foundation.requests import terms
from foundation.schema import POLICY_KINDS, REVIEW_RESULTS, REVIEW_TOTAL

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
# Editors write these in Markdown; the build computes the other three.
NARRATIVE = (SECTIONS[0], SECTIONS[4], SECTIONS[5])
COMPUTED = (SECTIONS[1], SECTIONS[2], SECTIONS[3])

# Table 二: one block per item of 条例 第二十条, each with its own column headings.
CONTENT = "信息内容"
ISSUED, REPEALED, IN_FORCE = "本年制发件数", "本年废止件数", "现行有效件数"
DECISIONS = "本年处理决定数量"
FEES_AMOUNT = "本年收费金额（单位：万元）"
# The rows of 第（一）项 are the schema's first two 文件类型 (policy_kind) values.
RULES, NORMATIVE = POLICY_KINDS[0], POLICY_KINDS[1]
LICENSING, PENALTY, ENFORCEMENT, FEES = "行政许可", "行政处罚", "行政强制", "行政事业性收费"
TABLE2_BLOCKS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", (ISSUED, REPEALED, IN_FORCE), (RULES, NORMATIVE)),
    ("第二十条第（五）项", (DECISIONS,), (LICENSING,)),
    ("第二十条第（六）项", (DECISIONS,), (PENALTY, ENFORCEMENT)),
    ("第二十条第（八）项", (FEES_AMOUNT,), (FEES,)),
)
TABLE2_WIDTH = 4

# Table 三.
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
ORGANISATIONS = "法人或其他组织"
TOTAL = "总计"
APPLICANT_COLUMNS = (*terms.APPLICANT_CATEGORIES, TOTAL)   # the seven figure columns
NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
RESULTS_TOTAL = "（七）总计"
NEXT_YEAR = "四、结转下年度继续办理"
NUMERALS = "一二三四五六七"
# The template adds a counting rule to the label of 部分公开.
OUTCOME_NOTES = {"部分公开": "（区分处理的，只计这一情形，不计其他情形）"}
# *practice*: an application the applicant withdraws is closed without an answer;
# reports count it under （六）其他处理 3.其他 (the template has no row of its own).
WITHDRAWN_ROW = ("其他处理", "其他")


def outcome_label(outcome: str) -> str:
    """「（三）不予公开」: the outcome's numbered label in Table 三."""
    number = NUMERALS[list(terms.OUTCOMES).index(outcome)]
    return f"（{number}）{outcome}{OUTCOME_NOTES.get(outcome, '')}"


def reason_label(outcome: str, reason: str) -> str:
    """「1.属于国家秘密」: the sub-row label of a reason."""
    return f"{terms.OUTCOMES[outcome].index(reason) + 1}.{reason}"


def outcome_rows() -> tuple[tuple[str, str], ...]:
    """(outcome, reason) of every figure row under 三、本年度办理结果, in template order."""
    rows: list[tuple[str, str]] = []
    for outcome, reasons in terms.OUTCOMES.items():
        rows += [(outcome, r) for r in reasons] or [(outcome, "")]
    return tuple(rows)


# Table 四: 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), five result columns each.
REVIEW = "行政复议"
LAWSUIT = "行政诉讼"
LAWSUIT_KINDS = ("未经复议直接起诉", "复议后起诉")
RESULT_LABELS = tuple(label for _key, label in (*REVIEW_RESULTS, REVIEW_TOTAL))
