"""Table 四 (政府信息公开行政复议、行政诉讼情况), from the figures the editor supplies.

条例 第五十条第（三）项: the report states the 行政复议 and 行政诉讼 brought over
disclosure.  The office keeps those cases in its own ledger, so the report
file carries them; a 总计 the editor writes must equal its four results.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundation.schema import REVIEW_GROUPS, REVIEW_RESULTS, REVIEW_TOTAL
from foundation.errors import Problem


@dataclass(frozen=True)
class ReviewFigures:
    group: str                       # review / direct / after_review
    results: tuple[int, ...]         # 结果维持, 结果纠正, 其他结果, 尚未审结

    @property
    def total(self) -> int:
        return sum(self.results)

    @property
    def cells(self) -> tuple[int, ...]:
        """The five figures of the template, 总计 last."""
        return (*self.results, self.total)


def table_four(values: dict[str, Any], lines: dict[str, int], label: str) -> tuple[list[ReviewFigures], list[Problem]]:
    """Table 四's three groups and the problems of any 总计 that does not add up."""
    groups: list[ReviewFigures] = []
    problems: list[Problem] = []
    for group, group_label in REVIEW_GROUPS:
        figures = ReviewFigures(group, tuple(values[f"{group}_{result}"] for result, _label in REVIEW_RESULTS))
        key = f"{group}_{REVIEW_TOTAL[0]}"
        given = values.get(key)
        if given is not None and given != figures.total:
            parts = "、".join(f"{result_label} {n}" for (_r, result_label), n in zip(REVIEW_RESULTS, figures.results, strict=True))
            problems.append(Problem(label, lines.get(key, 1), key,
                                    f"{group_label}总计 {given} 不等于各项结果之和 {figures.total}（{parts}）"
                                    f"（expected {figures.total}，或删除这一行由系统相加）"))
        groups.append(figures)
    return groups, problems
