"""The `budgetqa` command line: parses arguments, calls the library, prints results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from budgetqa.errors import BudgetQAError
from budgetqa.messages_zh import ingest_warning
from budgetqa.pipeline import BudgetQA, expand_paths


def _app() -> BudgetQA:
    try:
        return BudgetQA.from_settings()
    except BudgetQAError as exc:
        raise click.ClickException(exc.message) from exc


def _print_report(report, as_json: bool) -> None:
    if as_json:
        codes = [ingest_warning(w)[0] for w in report.warnings]  # one code per warning
        click.echo(json.dumps({**report.to_json(), "warning_codes": codes}, ensure_ascii=False))
        return
    if report.status == "failed":
        click.echo(f"✗ {report.error}", err=True)
        return
    checked, add_up = report.reconciled
    ocr = f", OCR pages {','.join(map(str, report.ocr_pages))}" if report.ocr_pages else ""
    click.echo(f"✓ {report.doc_id}: {report.status} — {len(report.tables)} tables, "
               f"{report.cells} cells, {report.passages} passages, "
               f"totals add up in {add_up}/{checked} checked tables, "
               f"narrative numbers {report.numbers.percent()}{ocr}")
    for table in report.tables:
        pages = ",".join(map(str, table["pages"])) or "-"
        click.echo(f"    [{table['kind']}] {table['number']} {table['title']} "
                   f"({table['unit'] or '单位未注明'}; p.{pages}; {table['rows']} rows)")
    for warning in report.warnings:
        click.echo(f"    ! {warning}")


@click.group()
@click.version_option(package_name="budgetqa")
def main() -> None:
    """预算问答 BudgetQA: exact, cited answers about government budget disclosures.

    Settings come from BUDGETQA_* environment variables (see README).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON report per file.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the reports as one markdown page (INGEST.md), keeping the "
                   "notes below its notes mark.")
@click.option("--replace", is_flag=True,
              help="Replace a document of another publisher, year or kind that has the same id.")
def ingest(paths: tuple[Path, ...], as_json: bool, summary: Path | None, replace: bool) -> None:
    """Ingest PDF or text disclosures (files or folders).

    Unchanged files are skipped; a changed file replaces its old version atomically; a
    file that cannot be read is reported and leaves the store as it was. A file named like
    a document of another publisher, year or kind is refused unless --replace.
    """
    app = _app()
    files = expand_paths(list(paths))
    if not files:
        raise click.ClickException("no disclosure files found in " + ", ".join(map(str, paths)))
    failed = 0
    with click.progressbar(files, label="ingesting", file=sys.stderr,
                           item_show_func=lambda p: p.name if p else "") as bar:
        reports = [app.ingest_file(path, replace=replace) for path in bar]
    for report in reports:
        _print_report(report, as_json)
        failed += report.status == "failed"
    if summary is not None:
        from budgetqa.ingest_summary import kept_notes, summary_markdown

        named = " ".join(map(str, paths)) if len(paths) <= 3 else f"<{len(paths)} files>"
        command = f"budgetqa ingest {named} --summary {summary.name}"
        summary.write_text(summary_markdown(reports, command, kept_notes(summary)),
                           encoding="utf-8")
    if failed:
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
def docs(as_json: bool) -> None:
    """List the ingested documents."""
    app = _app()
    for doc in app.documents():
        numbers = app.number_coverage(doc.id)
        if as_json:
            click.echo(json.dumps({**doc.__dict__, "narrative_numbers": numbers.percent(),
                                   "warnings": [numbers.warning()] if numbers.low else []},
                                  ensure_ascii=False))
        else:
            click.echo(f"{doc.id}\t{doc.publisher}\t{doc.year or '?'}\t{doc.kind}\t"
                       f"{doc.pages} pages\tnarrative numbers {numbers.percent()}")
            if numbers.low:
                click.echo(f"    ! {numbers.warning()}")


@main.command()
@click.argument("question", required=False)
@click.option("--doc", default=None, help="Document id (file stem); default: from the question.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer object as JSON.")
@click.option("--jsonl", is_flag=True,
              help='Read {"question": …, "doc": …} lines on stdin, write answer lines.')
def ask(question: str | None, doc: str | None, as_json: bool, jsonl: bool) -> None:
    """Ask a question; the answer cites the table cells or passages it rests on."""
    app = _app()
    if jsonl:
        failures = 0
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict) or not isinstance(request.get("question", ""), str) \
                        or not isinstance(request.get("doc"), (str, type(None))):
                    raise ValueError('expected {"question": "…", "doc": "…" or null}')
                answer = app.ask(request.get("question", ""), request.get("doc")).to_json()
            except json.JSONDecodeError as exc:
                answer, failures = {"error": f"line {number}: not JSON ({exc.msg})"}, failures + 1
            except ValueError as exc:
                answer, failures = {"error": f"line {number}: {exc}"}, failures + 1
            except BudgetQAError as exc:
                answer, failures = {"question": request.get("question"), "doc": request.get("doc"),
                                    "error": exc.message}, failures + 1
            click.echo(json.dumps(answer, ensure_ascii=False))
        sys.exit(1 if failures else 0)
    if question is None:
        raise click.UsageError("give a QUESTION, or --jsonl to read questions from stdin")
    try:
        answer = app.ask(question, doc)
    except BudgetQAError as exc:
        raise click.ClickException(exc.message) from exc
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(answer.text)
    if answer.formula:
        click.echo(f"算式：{answer.formula}")
    for citation in answer.citations:
        click.echo("来源：" + _citation_line(citation))


def _citation_line(citation) -> str:
    page = f"第{citation.page}页" if citation.page else ""
    if citation.kind == "cell":
        return (f"{citation.doc}《{citation.table}》 行“{citation.row}” 列“{citation.column}” "
                f"{citation.value}{citation.unit} {page}")
    return f"{citation.doc} {citation.section} {page}：{citation.text[:80]}"


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder searched (recursively, by file stem) for documents the gold names.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary and failures as JSON.")
def evaluate(gold: tuple[Path, ...], corpus: Path | None, as_json: bool) -> None:
    """Score answers against gold JSONL files; print accuracy per category and failures."""
    from qa.evaluation import load_gold, score, summarise

    app = _app()
    try:
        cases = load_gold(list(gold))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    known = {d.id for d in app.documents()}
    missing = sorted({c["doc"] for c in cases if c.get("doc")} - known)
    if missing:
        if corpus is None:
            raise click.ClickException("not ingested: " + ", ".join(missing) + " (give --corpus)")
        files = {p.stem: p for p in expand_paths([corpus])}
        for doc_id in missing:
            if doc_id not in files:
                raise click.ClickException(f"{doc_id}: not found under {corpus}")
            report = app.ingest_file(files[doc_id])
            if report.status == "failed":
                raise click.ClickException(report.error)
    verdicts = []
    for case in cases:
        try:
            answer = app.ask(case["question"], case.get("doc")).to_json()
        except BudgetQAError as exc:
            answer = {"route": "error", "value": None, "answer": exc.message, "citations": []}
        verdicts.append(score(case, answer))
    summary = summarise(verdicts)
    failures = [v for v in verdicts if not v.passed]
    if as_json:
        click.echo(json.dumps({**summary, "failures": [
            {"id": v.case.get("id"), "question": v.case["question"], "reasons": v.reasons,
             "outcome": v.outcome, "answer": v.answer} for v in failures],
            "cases": [{"id": v.case.get("id"), "category": v.case.get("category"),
                       "outcome": v.outcome, "route": v.answer.get("route"),
                       "reading": v.answer.get("reading")} for v in verdicts]},
            ensure_ascii=False, indent=2))
        return
    for v in failures:
        click.echo(f"{v.outcome.upper()} {v.case.get('id')} [{v.case.get('category')}] "
                   f"{v.case['question']}")
        click.echo(f"     {'; '.join(v.reasons)}")
        click.echo(f"     answer: {(v.answer.get('answer') or '')[:160]}")
    for name, figures in [*summary["categories"].items(), ("overall", summary["overall"])]:
        click.echo(f"{name:8s} right {figures['right']:3d}/{figures['total']:<3d} "
                   f"{figures['accuracy']:6.1%}  wrong {figures['wrong']:3d}  "
                   f"abstained {figures['abstained']:3d}")



@main.command()
@click.argument("doc_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="One JSON report per disclosure.")
@click.option("--all", "show_all", is_flag=True, help="Also list findings marked as reviewed.")
@click.option("--review", "finding_id", default=None, help="Mark this finding id as reviewed.")
@click.option("--note", default="", help="The reviewer's note for --review.")
def audit(doc_ids: tuple[str, ...], as_json: bool, show_all: bool, finding_id: str | None,
          note: str) -> None:
    """Consistency audit: totals, cross-table identities, narrative against tables."""
    from calc.audit import RULES

    app = _app()
    try:
        if finding_id:
            doc = finding_id.split(":")[1] if finding_id.count(":") >= 2 else ""
            app.store.document(doc)
            app.store.mark_reviewed(finding_id, doc, note)
            click.echo(f"reviewed: {finding_id}")
            return
        reports = app.audit(list(doc_ids))
    except BudgetQAError as exc:
        raise click.ClickException(exc.message) from exc
    rules = {r.id: r.description for r in RULES}
    for report in reports:
        if as_json:
            click.echo(json.dumps(report.to_json(), ensure_ascii=False))
            continue
        shown = report.findings if show_all else report.open
        click.echo(f"== {report.disclosure} ({', '.join(report.docs)}): {report.tables} tables, "
                   f"{len(report.open)} open findings, "
                   f"{len(report.findings) - len(report.open)} reviewed")
        for f in shown:
            mark = " [reviewed]" if f.reviewed is not None else ""
            click.echo(f"  {f.severity.upper():9s} {f.id}{mark}\n    {rules.get(f.rule, f.rule)}"
                       f"\n    {f.message}" + (f"\n    算式：{f.formula}" if f.formula else ""))
            for c in f.operands:
                click.echo("    来源：" + _citation_line(c))


@main.command()
@click.option("--all", "show_all", is_flag=True, help="List 👍 too, not only answers marked wrong.")
@click.option("--export", "export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the listed answers as gold-question stubs (JSONL) to this file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON record per line.")
def feedback(show_all: bool, export: Path | None, as_json: bool) -> None:
    """Readers' feedback: answers marked wrong (👎) in the chat page or the widget.

    --export writes them as gold-question stubs for `budgetqa eval`: question and document
    filled in, the expected value and evidence left to fill from the document.
    """
    from budgetqa.feedback import gold_stubs

    records = _app().store.feedback(None if show_all else "down")
    if export is not None:
        stubs = gold_stubs(records)
        export.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in stubs),
                          encoding="utf-8")
        click.echo(f"wrote {len(stubs)} gold-question stubs to {export}")
        return
    for record in records:
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
            continue
        answer = json.loads(record["answer"] or "{}")
        mark = "👎" if record["rating"] == "down" else "👍"
        click.echo(f"{mark} #{record['id']} {record['created']} [{record['source']}] "
                   f"{record['doc_id'] or '(no document)'}\n    问：{record['question']}\n"
                   f"    答：{answer.get('answer', '')}"
                   + (f"\n    备注：{record['note']}" if record["note"] else ""))
    if not records and not as_json:
        click.echo("no feedback yet" if show_all else "no answers marked wrong")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "formats", multiple=True, type=click.Choice(["csv", "xlsx", "parquet"]),
              help="File formats (repeat); default: all three.")
@click.option("--only", type=click.Choice(["cells", "measures"]), default=None,
              help="Only the cells or only the measures; default: both.")
def export(folder: Path, formats: tuple[str, ...], only: str | None) -> None:
    """Open data: every cell and every canonical measure with its provenance (EXPORT.md)."""
    from budgetqa.export import DATASETS, FORMATS, export_files

    try:
        written = export_files(_app().store, folder, formats or FORMATS,
                               (only,) if only else DATASETS)
    except BudgetQAError as exc:
        raise click.ClickException(exc.message) from exc
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
def check() -> None:
    """Make the passage index agree with the store: re-index documents whose passages it lacks
    or holds at another version (an ingest stopped half-way), remove passages of documents
    the store no longer has. Safe while other processes answer or ingest."""
    app = _app()
    try:
        repaired = app.repair_index()
    except BudgetQAError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"re-indexed: {', '.join(repaired['reindexed']) or 'none'}\n"
               f"removed from the index: {', '.join(repaired['removed']) or 'none'}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="API processes sharing the port and the store (answers are CPU-bound "
                   "Python: about one per core).")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the REST API, its OpenAPI docs (/docs) and the portal widget (/widget.js).
    Several workers each accept on a socket of their own (server/serve.py)."""
    from server.serve import serve as serve_api

    _app()  # fail early, with the setting's name, on a bad BUDGETQA_* value
    try:
        serve_api(host, port, workers)
    except BudgetQAError as exc:
        raise click.ClickException(exc.message) from exc

if __name__ == "__main__":
    main()
