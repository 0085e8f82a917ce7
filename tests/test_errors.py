"""The error family: one JSON shape, HTTP statuses, and third-party errors wrapped at the boundary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetqa import errors
from budgetqa.errors import (Busy, BadQuestion, BudgetQAError, CalcError, Forbidden, IndexError_,
                             IngestError, NotFound, RequestRefused, SettingsError, StoreError,
                             Unauthorized, UnitMismatch, ZeroWhole, error_body)

FAMILY = [  # class, status, code
    (BudgetQAError, 500, "internal"),
    (SettingsError, 500, "bad_setting"),
    (IngestError, 422, "ingest_failed"),
    (NotFound, 404, "not_found"),
    (BadQuestion, 400, "bad_request"),
    (CalcError, 422, "cannot_compute"),
    (UnitMismatch, 422, "unit_mismatch"),
    (ZeroWhole, 422, "zero_divisor"),
    (StoreError, 503, "store_unavailable"),
    (IndexError_, 503, "index_unavailable"),
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (Busy, 503, "busy"),
]


@pytest.mark.parametrize("cls, status, code", FAMILY, ids=[c[0].__name__ for c in FAMILY])
def test_error_body_shape(cls, status, code):
    error = cls("something went wrong", doc="d1", limit=500, ratio=0.5, flag=True, nothing=None,
                path=Path("/tmp/x.pdf"), units=("元", "辆"))
    assert issubclass(cls, BudgetQAError) and isinstance(error, Exception)
    assert (error.status, error.code, error.message, str(error)) == (
        status, code, "something went wrong", "something went wrong")
    body = error_body(error)
    assert body == {"error": {
        "code": code, "message": "something went wrong", "status": status,
        "context": {"doc": "d1", "limit": 500, "ratio": 0.5, "flag": True, "nothing": None,
                    "path": "x.pdf", "units": "('元', '辆')"}}}  # no server path
    assert json.loads(json.dumps(body, ensure_ascii=False)) == body  # JSON as it stands


def test_every_error_class_is_in_the_table_and_the_docstring():
    defined = {obj for obj in vars(errors).values()
               if isinstance(obj, type) and issubclass(obj, BudgetQAError)}
    assert defined == {cls for cls, _, _ in FAMILY} | {RequestRefused}
    for cls in defined - {RequestRefused}:
        assert cls.__name__ in errors.__doc__
        assert f"({cls.status})" in errors.__doc__.split(cls.__name__, 1)[1].splitlines()[0]


@pytest.mark.parametrize("status, code", [(404, "not_found"), (405, "method_not_allowed"),
                                          (413, "too_large"), (422, "invalid_request"),
                                          (418, "http_error")])
def test_http_refusals_keep_their_status(status, code):
    body = error_body(RequestRefused("refused", status, path="/x"))
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert "RequestRefused" in errors.__doc__


def test_error_body_without_context():
    assert error_body(NotFound("unknown document id 'x'")) == {"error": {
        "code": "not_found", "message": "unknown document id 'x'", "status": 404, "context": {}}}


def test_our_index_error_is_not_the_builtin():
    assert not issubclass(IndexError_, IndexError)
    assert not issubclass(IndexError, BudgetQAError)


# -- wrapping at the boundary ----------------------------------------------------------------

def test_bad_store_url_is_a_store_error():
    from sqlalchemy.exc import SQLAlchemyError

    from store.store import Store

    url = "sqlite:////nonexistent-dir/x.sqlite"
    with pytest.raises(StoreError) as info:
        Store(url)
    assert url in info.value.message
    assert info.value.context == {"url": url}
    assert isinstance(info.value.__cause__, SQLAlchemyError)
    assert error_body(info.value)["error"]["status"] == 503


def test_bad_db_url_setting_is_a_store_error(monkeypatch, tmp_path):
    from budgetqa.pipeline import BudgetQA

    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path))
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    monkeypatch.setenv("BUDGETQA_DB_URL", "sqlite:////nonexistent-dir/y.sqlite")
    with pytest.raises(StoreError, match="nonexistent-dir"):
        BudgetQA.from_settings()


def test_failed_write_is_a_store_error_with_the_database_error_as_cause(tmp_path):
    from dataclasses import replace

    from sqlalchemy.exc import IntegrityError

    from ingest.reader import read_document
    from store.store import Store

    parsed = read_document(Path(__file__).resolve().parent.parent / "data" / "corpus"
                           / "shaoxing-gov-service-office-2024-dept-budget.md")
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    with pytest.raises(StoreError) as info:
        store.replace_document(replace(parsed, passages=parsed.passages * 2))
    assert isinstance(info.value.__cause__, IntegrityError)


def test_corrupt_pdf_is_an_ingest_error_with_the_pdfminer_error_as_cause(tmp_path):
    from pdfminer.pdfparser import PDFSyntaxError

    from ingest.reader import read_document

    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"garbage " * 200)
    with pytest.raises(IngestError) as info:
        read_document(path)
    assert info.value.message.startswith("corrupt.pdf: the PDF is damaged or truncated")
    cause = info.value.__cause__
    assert cause is not None
    # pdfplumber wraps pdfminer's error in its PdfminerException; the original is its argument.
    chain = [cause, *cause.args]
    assert any(isinstance(c, PDFSyntaxError) for c in chain), chain


def test_truncated_pdf_cause_comes_from_pdfminer(tmp_path):
    from ingest.reader import read_document

    source = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "shanghai" / (
        "putuo-wanli-subdistrict-2024-dept-budget.pdf")
    path = tmp_path / "half.pdf"
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    with pytest.raises(IngestError) as info:
        read_document(path)
    cause = info.value.__cause__
    origins = {type(c).__module__.split(".")[0] for c in (cause, *cause.args)
               if isinstance(c, BaseException)}
    assert "pdfminer" in origins


def test_error_body_masks_url_passwords_and_server_paths():
    error = StoreError("cannot open postgresql+psycopg://u:SECRET@db:5432/x or /srv/data/a.pdf",
                       url="postgresql+psycopg://u:SECRET@db/x")
    text = json.dumps(error_body(error))
    assert "SECRET" not in text and "/srv/data" not in text
    assert "u:***@db" in text and "a.pdf" in text
