"""Scoring answers against gold questions, with the rules of ../shared/eval/README.md."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path


# Routes that decline to give a figure: a failure there is an abstention, not a wrong answer.
ABSTAINING_ROUTES = ("none", "clarify")


@dataclass(frozen=True)
class Verdict:
    case: dict
    answer: dict
    passed: bool
    reasons: tuple[str, ...]

    @property
    def outcome(self) -> str:
        """right, wrong (a failed answer that gave a figure or passage) or abstained."""
        if self.passed:
            return "right"
        if self.answer.get("route") in ABSTAINING_ROUTES and self.answer.get("value") is None:
            return "abstained"
        return "wrong"


def load_gold(paths: list[Path]) -> list[dict]:
    """Gold cases from JSONL files, in file order."""
    cases = []
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    cases.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
    return cases


def _close(answer_value, expected: str, tol: float) -> bool:
    # Gold files written by hand give alternatives with their unit ("9500元", "0.3121 亿元"):
    # the number is compared, as a bare alternative is.
    written = re.fullmatch(r"\s*(-?[\d,]*\.?\d+)\s*[^\d\s.,-]{0,3}\s*", str(expected))
    expected = written.group(1).replace(",", "") if written else expected
    try:
        return abs(Decimal(str(answer_value)) - Decimal(str(expected))) <= Decimal(str(tol))
    except (InvalidOperation, TypeError):
        return False


def score(case: dict, answer: dict) -> Verdict:
    """Apply the four checks that fit the case; every one must hold."""
    reasons = []
    if case.get("none"):
        if answer.get("route") != "none" or answer.get("value") is not None:
            reasons.append(f"expected route none, got {answer.get('route')} "
                           f"value {answer.get('value')}")
        return Verdict(case, answer, not reasons, tuple(reasons))
    if answer.get("route") in ABSTAINING_ROUTES:
        reasons.append(f"answered {answer.get('route')}")
    if case.get("value") is not None:
        tol = case.get("tol") or 0
        # alt_values entries are {"value": …, "unit": …} or bare decimal strings.
        accepted = [case["value"]] + [alt["value"] if isinstance(alt, dict) else alt
                                      for alt in case.get("alt_values") or []]
        if answer.get("value") is None or not any(
                _close(answer["value"], v, tol) for v in accepted):
            reasons.append(f"value {answer.get('value')} {answer.get('unit')} not in "
                           f"{accepted} (tol {tol})")
    for text in case.get("contains") or []:
        if text not in (answer.get("answer") or ""):
            reasons.append(f"answer lacks {text!r}")
    cites = case.get("cite") or []
    if cites:
        fields = [str(v) for c in answer.get("citations") or [] for v in c.values()]
        if not any(want in field for want in cites for field in fields):
            reasons.append(f"no citation contains any of {cites}")
    return Verdict(case, answer, not reasons, tuple(reasons))


def _figures(verdicts: list[Verdict]) -> dict:
    counts = {outcome: sum(v.outcome == outcome for v in verdicts)
              for outcome in ("right", "wrong", "abstained")}
    return {"passed": counts["right"], "total": len(verdicts), **counts,
            "accuracy": counts["right"] / len(verdicts) if verdicts else 0.0}


def summarise(verdicts: list[Verdict]) -> dict:
    """Right, wrong and abstained, with accuracy, per category and overall."""
    by_category: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in verdicts:
        by_category[verdict.case.get("category", "?")].append(verdict)
    return {"overall": _figures(verdicts),
            "categories": {k: _figures(v) for k, v in sorted(by_category.items())}}
