"""Whether a change kept every answer: the gold questions asked of two checkouts, compared.

    python -m bench.same_answers --before DIR --home HOME GOLD.jsonl...

A speed-up must give the same answers. Each checkout (this one, and `--before`, e.g.
`git archive main | tar -x -C DIR`) answers every case of the gold files in a process of its
own, over the same BUDGETQA_HOME (ingested beforehand: the comparison is of answering, not of
reading documents); then the two answer objects of each case are compared field by field.
Prints each difference and their count; exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("value", "unit", "route", "citations", "answer", "formula")

# Run inside each checkout: one {"case": id, "answer": {...}} a line.
_ANSWER_ALL = """
import json, sys
from budgetqa.errors import BudgetQAError
from budgetqa.pipeline import BudgetQA
from qa.evaluation import load_gold
app = BudgetQA.from_settings()
for n, case in enumerate(load_gold(sys.argv[1:])):
    try:
        answer = app.ask(case["question"], case.get("doc")).to_json()
    except BudgetQAError as exc:
        answer = {"route": "error", "value": None, "answer": exc.message, "citations": []}
    print(json.dumps({"case": [n, case.get("id"), case.get("doc"), case["question"]],
                      "answer": answer}, ensure_ascii=False))
"""


def answers(code: Path, home: Path, gold: list[Path]) -> dict[tuple, dict]:
    """Every gold case answered by checkout `code`, by (position, id, doc, question)."""
    env = {**os.environ, "BUDGETQA_HOME": str(home), "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, "-c", _ANSWER_ALL, *map(str, gold)], cwd=code,
                         env=env, check=True, capture_output=True, text=True).stdout
    return {tuple(r["case"]): r["answer"] for r in map(json.loads, out.splitlines())}


def differences(before: dict[tuple, dict], after: dict[tuple, dict]) -> list[str]:
    """One line per case missing on either side and per field that differs; the whole answer
    object is compared too, so a field outside FIELDS that changed is reported as well."""
    out = []
    for case in sorted(before.keys() | after.keys()):
        old, new = before.get(case), after.get(case)
        if old is None or new is None:
            out.append(f"{case}: answered only {'after' if old is None else 'before'}")
            continue
        changed = [f for f in FIELDS if old.get(f) != new.get(f)]
        for field in changed:
            out.append(f"{case}: {field} {json.dumps(old.get(field), ensure_ascii=False)[:200]}"
                       f" → {json.dumps(new.get(field), ensure_ascii=False)[:200]}")
        if not changed and old != new:
            out.append(f"{case}: other fields differ")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="checkout to compare with")
    parser.add_argument("--home", type=Path, required=True,
                        help="BUDGETQA_HOME holding the gold's documents")
    args = parser.parse_args(argv)
    gold = [g.resolve() for g in args.gold]
    before = answers(args.before.resolve(), args.home, gold)
    after = answers(ROOT, args.home, gold)
    found = differences(before, after)
    print("\n".join(found + [f"{len(before)} cases before, {len(after)} after, "
                             f"{len(found)} differences"]))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
