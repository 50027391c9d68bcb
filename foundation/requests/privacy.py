"""Spot personal data in a record: keys that would hold who applied, values that identify someone.

A record keeps nothing about who applied (《个人信息保护法》第六条: process
personal information only within the smallest scope the purpose needs; the
name, contact, ID number and address stay in the office's registration
system).  Values are checked line by line over the whole file, comments too.
"""
from __future__ import annotations

import re

from foundation.errors import Problem

from .yamlsource import Located

# Keys that would hold who applied and how to reach them.
PERSONAL_KEY = re.compile(
    r"name|姓名|名字|名称|contact|联系|phone|tel|mobile|电话|手机|座机|e-?mail|mail|邮箱|邮件|"
    r"id_?(card|no|num|number)|identity|身份|证件|address|addr|地址|住址|住所|postcode|zip|邮编|"
    r"wechat|微信|qq|^id$|^applicant$|^申请人$|^requester$|^person$", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PERSONAL_DATA = "不得保存申请人的个人信息（姓名、联系方式、证件号码、地址留在登记系统中，《个人信息保护法》第六条）"


def personal_data_in(text: str) -> str:
    """Name the kind of personal data `text` contains ('' when none): the site's own detectors
    (foundation.privacy.detect: every identifier, in every form), and e-mail addresses."""
    from foundation.privacy.detect import find

    hits = find(text)
    if hits:
        return hits[0].kind
    if _EMAIL.search(text):
        return "电子邮箱"
    return ""


def personal_data_problems(src: Located, label: str) -> list[Problem]:
    """Every personal-data key (at any depth) and every line holding personal data."""
    problems: list[Problem] = []
    for path, line in src.lines.items():
        key = path[-1]
        if isinstance(key, str) and PERSONAL_KEY.search(key):
            problems.append(Problem(label, line, key, f"看起来是申请人的个人信息，记录中{PERSONAL_DATA}（expected 删除这一项）"))
    for n, text in enumerate(src.text.split("\n"), 1):
        kind = personal_data_in(text)
        if kind:
            name = text.split(":", 1)[0].strip(" -#") if ":" in text else ""
            problems.append(Problem(label, n, name or "内容", f"含有疑似{kind}，记录中{PERSONAL_DATA}（expected 删除）"))
    return problems


__all__ = ["PERSONAL_KEY", "personal_data_in", "personal_data_problems"]
