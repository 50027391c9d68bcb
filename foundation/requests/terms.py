"""The vocabulary of disclosure applications, declared once.

Channels and receipt rules come from 《政府信息公开条例》第三十一条; applicant
categories and outcomes are the columns and rows of Table 三 of the annual
report (国办公开办函〔2021〕30号, ../shared/domain.md §5), so records count
straight into the report.
"""
from __future__ import annotations

LAW = "《政府信息公开条例》"

# 第三十一条: the receipt date depends on how the application arrived.
CHANNELS: dict[str, str] = {
    "当面": "当面提交的，以提交之日为收到申请之日（第三十一条第（一）项）",
    "邮寄": "邮寄提交的，以本机关签收之日为收到申请之日；平常信函以与申请人确认之日为收到申请之日"
            "（第三十一条第（二）项）",
    "网络": "通过互联网提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）",
    "传真": "通过传真提交的，以双方确认之日为收到申请之日（第三十一条第（三）项）",
}
# How officers write an applicant's category, and the column of Table 三 it is.
CATEGORY_MEANINGS = {
    "个人": "自然人", "公民": "自然人", "群众": "自然人", "企业": "商业企业", "公司": "商业企业",
    "律师": "法律服务机构", "律师事务所": "法律服务机构", "律所": "法律服务机构", "高校": "科研机构",
    "大学": "科研机构", "研究所": "科研机构", "社会组织": "社会公益组织", "协会": "社会公益组织", "基金会": "社会公益组织",
}
# How officers write a channel, and the one of 第三十一条 it is.
CHANNEL_MEANINGS = {
    "网上": "网络", "在线": "网络", "互联网": "网络", "网站": "网络", "电子邮件": "网络", "邮件": "网络",
    "现场": "当面", "窗口": "当面", "来访": "当面", "信函": "邮寄", "快递": "邮寄", "挂号信": "邮寄",
}

# Table 三 columns: 自然人 | 法人或其他组织 (five kinds).
NATURAL_PERSON = "自然人"
ORGANISATION_KINDS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_CATEGORIES = (NATURAL_PERSON, *ORGANISATION_KINDS)

# Table 三, 三、本年度办理结果: each category with its numbered sub-reasons, verbatim.
OUTCOMES: dict[str, tuple[str, ...]] = {
    "予以公开": (),
    "部分公开": (),
    "不予公开": (
        "属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
        "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项",
    ),
    "无法提供": ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    "不予处理": (
        "信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
        "要求行政机关确认或重新出具已获取信息",
    ),
    "其他处理": (
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "其他",
    ),
}
# What officers write for an outcome, and the Table 三 category it is (a close spelling is
# not a close meaning: 同意公开 is 予以公开, not 部分公开).
OUTCOME_MEANINGS = {
    "同意公开": "予以公开", "公开": "予以公开", "全部公开": "予以公开", "准予公开": "予以公开", "已公开": "予以公开",
    "部分同意": "部分公开", "部分予以公开": "部分公开",
    "不公开": "不予公开", "拒绝公开": "不予公开", "不同意公开": "不予公开",
    "信息不存在": "无法提供", "不存在": "无法提供", "不掌握": "无法提供",
    "不予受理": "不予处理", "不处理": "不予处理", "撤回": "其他处理", "逾期未补正": "其他处理",
}
NO_CORRECTION = OUTCOMES["其他处理"][0]   # 第三十条: no correction in time = application abandoned
STILL_UNCLEAR = OUTCOMES["无法提供"][2]

# Events of a record, in the order they usually happen.
CORRECTION_NOTICE = "补正告知"
CORRECTION_RECEIVED = "补正收到"
EXTENSION = "延期"
CONSULT_START = "征求意见开始"
CONSULT_END = "征求意见结束"
ANSWER = "答复"
WITHDRAWAL = "撤回"
EVENT_KINDS = (CORRECTION_NOTICE, CORRECTION_RECEIVED, EXTENSION, CONSULT_START, CONSULT_END, ANSWER,
               WITHDRAWAL)

# Whom the office consults: 第三十二条 (third party) or 第三十四条 (co-authoring agency).
CONSULTED: dict[str, str] = {
    "第三方": "征求第三方意见（第三十二条）",
    "其他机关": "征求其他行政机关意见（第三十四条）",
}

# 第三十条 and 第三十三条: the periods, in working days.
CORRECTION_NOTICE_DAYS = 7
ANSWER_DAYS = 20
MAX_EXTENSION_DAYS = 20
