"""The one error family of BudgetQA.

    BudgetQAError                 (500) anything the library raises on purpose
    ├── SettingsError             (500) a BUDGETQA_* setting has a bad value
    ├── IngestError               (422) a file cannot be read as a disclosure
    ├── NotFound                  (404) an unknown document id or resource
    ├── BadQuestion               (400) empty or over-long question, bad request
    ├── CalcError                 (422) a computation that cannot be done
    │   ├── UnitMismatch          (422) operands in units that cannot be converted
    │   └── ZeroWhole             (422) a share, ratio or growth over a zero figure
    ├── StoreError                (503) the SQL store failed
    ├── IndexError_               (503) the passage index (chromadb, embedder) failed
    ├── Unauthorized              (401) an admin action without a token
    ├── Forbidden                 (403) a wrong token, or an origin that is not allowed
    ├── Busy                      (503) too much work at once (page rendering); retry soon
    └── RequestRefused            (404/405/413/422/429) refused at the HTTP level

Third-party errors are wrapped where they cross into the library, so callers
(command line, API, chat page) handle only this family. `error_body` gives the
single JSON error shape used by the API and the widget; it passes every text through
`redact`, so a message never shows a password in a URL or a server path.
"""

from __future__ import annotations

import re

# scheme://user:password@host → scheme://user:***@host
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]*:)[^\s@]*@")
# …?password=… in a URL's query, or password=… in a libpq connection string → password=***
_PASSWORD_PARAMETER = re.compile(r"(?i)\b(password\s*=\s*)('[^']*'|[^\s&;'\"]+)")
# An absolute path (not a URL's, not a 收入/支出 column path): only its last part is shown.
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s/'\"]+/)+(?=[^\s/'\"]*)")


class BudgetQAError(Exception):
    """Base of all BudgetQA errors; `context` holds the fields a message names."""

    status = 500
    code = "internal"

    def __init__(self, message: str, **context):
        super().__init__(message)
        self.message = message
        self.context = context


class SettingsError(BudgetQAError):
    code = "bad_setting"


class IngestError(BudgetQAError):
    status = 422
    code = "ingest_failed"


class NotFound(BudgetQAError):
    status = 404
    code = "not_found"


class BadQuestion(BudgetQAError):
    status = 400
    code = "bad_request"


class CalcError(BudgetQAError):
    status = 422
    code = "cannot_compute"


class UnitMismatch(CalcError):
    code = "unit_mismatch"


class ZeroWhole(CalcError):
    code = "zero_divisor"


class StoreError(BudgetQAError):
    status = 503
    code = "store_unavailable"


class IndexError_(BudgetQAError):  # trailing underscore: the builtin IndexError is unrelated
    status = 503
    code = "index_unavailable"


class Unauthorized(BudgetQAError):
    status = 401
    code = "unauthorized"


class Forbidden(BudgetQAError):
    status = 403
    code = "forbidden"


class Busy(BudgetQAError):
    """Too much of one kind of work at once, or work over its time limit; retry soon."""

    status = 503
    code = "busy"


class RequestRefused(BudgetQAError):
    """An HTTP-level refusal (unknown route or method, body too large, invalid request,
    too many requests)."""

    _CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large",
              422: "invalid_request", 429: "rate_limited"}

    def __init__(self, message: str, status: int, **context):
        super().__init__(message, **context)
        self.status = status
        self.code = self._CODES.get(status, "http_error")


def redact(text: str) -> str:
    """`text` fit to show anyone: URL passwords masked, absolute paths cut to the file name."""
    text = _PASSWORD_PARAMETER.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", text))
    return _ABSOLUTE_PATH.sub("", text)


def error_body(error: BudgetQAError) -> dict:
    """The JSON body every API error has: {"error": {code, message, status, context}}."""
    context = {k: v if isinstance(v, (int, float, bool, type(None))) else redact(str(v))
               for k, v in error.context.items()}
    return {"error": {"code": error.code, "message": redact(error.message),
                      "status": error.status, "context": context}}
