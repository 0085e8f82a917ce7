"""Layers of the audit: calc/ and the narrative facts it reads never import qa/."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_calc_and_narrative_facts_do_not_import_qa():
    files = sorted((ROOT / "calc").glob("*.py")) + [ROOT / "ingest" / "narrative_facts.py",
                                                     ROOT / "ingest" / "label_text.py"]
    offenders = {f.name: sorted(m for m in _imports(f) if m == "qa" or m.startswith("qa."))
                 for f in files}
    assert len(files) > 5
    assert {k: v for k, v in offenders.items() if v} == {}


def test_qa_facts_reads_facts_from_the_lower_module():
    from ingest import narrative_facts
    from qa import facts

    assert facts.extract_facts is narrative_facts.extract_facts
    assert facts.Fact is narrative_facts.Fact
