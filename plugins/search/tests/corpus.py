"""The search tests' fixture site: its entries, and the index numbers the tests look for (a helper
module, not tests; conftest.py builds it once per session)."""
from __future__ import annotations

from tests.sitekit import ORG, Site

SAFETY = f"{ORG}/2024-00001"
FLOOD = f"{ORG}/2023-00001"
SHIPPING = f"{ORG}/2024-00002"
READING = f"{ORG}/2024-00003"
BUDGET = f"{ORG}/2024-00004"
PENALTY = f"{ORG}/2024-00005"
HOSTILE = f"{ORG}/2022-00001"
FUNDS = f"{ORG}/2024-00006"
NOTICES = 12  # more results for one query than fit on a page


def write_fixture(site: Site) -> None:
    site.entry("tzgg", 1, 2024, title="关于开展2024年春节期间安全生产检查的通知", doc_no="津东疆管发〔2024〕3号",
               date="2024-01-08", written_date="2024-01-05", keywords="安全生产、春节",
               summary="部署春节期间安全生产检查和值班值守工作。",
               body="各部门：\n\n春节期间安全生产检查覆盖港区仓储、危险化学品和冷链物流企业。\n\n"
                    "请于1月20日前报送检查情况。")
    site.entry("tzgg", 1, 2023, title="关于做好2023年汛期防汛工作的通知", date="2023-06-01",
               written_date="2023-05-30", summary="部署汛期防汛和应急值守。",
               body="汛期要落实防汛责任，做好排涝准备，同时抓好汛期安全生产。")
    site.entry("zcwj", 2, 2024, title="天津东疆综合保税区促进航运金融发展的若干措施",
               doc_no="津东疆管规〔2024〕1号", date="2024-02-01", written_date="2024-01-25",
               summary="支持融资租赁和航运金融企业在东疆集聚发展。",
               body="第一条 鼓励融资租赁企业开展飞机、船舶融资租赁业务。\n\n第二条 融资租赁企业落户的，给予一次性奖励。")
    site.entry("zcwj", 3, 2024, title="《促进航运金融发展的若干措施》政策解读", policy_kind="政策解读",
               interprets=SHIPPING, date="2024-02-02", written_date="2024-02-01",
               summary="解读航运金融若干措施的出台背景和主要内容。",
               body="《天津东疆综合保税区促进航运金融发展的若干措施》（津东疆管规〔2024〕1号）已经印发。")
    site.entry("czyjs", 4, 2024, title="东疆综合保税区管理委员会2024年部门预算", date="2024-02-20",
               written_date="2024-02-18", summary="公开2024年部门预算收支总表和三公经费预算。",
               body="2024年收入预算合计12,345.67万元，支出预算合计12,345.67万元。")
    site.entry("xzcf", 5, 2024, title="天津某某物流有限公司行政处罚决定信息公示", date="2024-03-05",
               publicity_end="2030-03-01", body="当事人未按规定公示年度报告，依法予以罚款。")
    site.entry("tzgg", 1, 2022, title='关于"开放日"活动的公告<script>alert(1)</script>', date="2022-05-01",
               written_date="2022-04-28", summary="开放日 <b>欢迎</b> O'Brien & 公众参观。",
               body="开放日当天 <script>alert('x')</script> 欢迎公众参观 \"港区\"。")
    for i in range(NOTICES):
        site.entry("tzgg", 10 + i, 2024, title=f"东疆港区第{i + 1}期船舶通航安全提示", date=f"2024-10-{i + 1:02d}",
                   written_date=f"2024-10-{i + 1:02d}", summary="提示船舶通航安全事项。",
                   body=f"本期通航安全提示第{i + 1}号：注意大风天气，船舶通航应加强瞭望。")
    # Issue 19: runs of characters pasted from a body, cut in the middle of its words.
    site.entry("tzgg", 6, 2024, title="关于防范非法集资风险的提示", date="2024-03-03", written_date="2024-03-01",
               summary="提示公众防范非法集资风险。",
               body="任何单位和个人不得以发行股票、债券或者以其他方式从事非法集资活动。\n\n"
                    "冷链物流扶持资金按季度拨付，企业应依法纳税。\n\n"
                    "甲方负责仓储，乙方负责运输；仓储运输费用另计。编号ＡＢ－１２３。")
