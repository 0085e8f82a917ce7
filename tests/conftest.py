"""Shared fixtures: a temporary BudgetQA home with a small real corpus ingested, and the run's
folder of corpus readings (tests/corpus_cache.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.corpus_cache import CACHE_ENV

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
# Small real documents: a text disclosure and one PDF.
SMALL_CORPUS = ("shaoxing-gov-service-office-2024-dept-budget.md",
                "putuo-wanli-subdistrict-2024-dept-budget.pdf")
ADMIN_TOKEN = "test-admin-token"
PORTAL_ORIGIN = "http://127.0.0.1:8765"


def pytest_configure(config):
    """The run's folder of corpus readings, made by the controller (or the only process)
    before any worker starts, so every worker finds it in its environment."""
    if hasattr(config, "workerinput") or os.environ.get(CACHE_ENV):
        return
    config.corpus_readings = tempfile.mkdtemp(prefix="budgetqa-test-readings-")
    os.environ[CACHE_ENV] = config.corpus_readings


def pytest_unconfigure(config):
    folder = getattr(config, "corpus_readings", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(CACHE_ENV, None)


# An operator's shell may point at a real store or index; tests never write there.
SHELL_STORES = ("BUDGETQA_DB_URL", "BUDGETQA_CHROMA_URL")


@pytest.fixture(scope="session", autouse=True)
def no_shell_store():
    """Hide BUDGETQA_DB_URL and BUDGETQA_CHROMA_URL set by the shell for the whole session
    (autouse, so before any other fixture): every test builds stores of its own under a
    temporary folder, and tests of PostgreSQL start a private server."""
    saved = {k: os.environ.pop(k, None) for k in SHELL_STORES}
    yield
    for key, value in saved.items():
        if value is not None:
            os.environ[key] = value


@pytest.fixture(scope="session")
def small_corpus_home(tmp_path_factory):
    """BUDGETQA_HOME with the SMALL_CORPUS ingested into a real SQLite store (no embeddings).

    Sets the BUDGETQA_* environment for the session (servers started by tests inherit it) and
    restores it afterwards. Yields the home folder.
    """
    home = tmp_path_factory.mktemp("budgetqa-home")
    env = {"BUDGETQA_HOME": str(home), "BUDGETQA_EMBEDDER": "none",
           "BUDGETQA_ADMIN_TOKEN": ADMIN_TOKEN, "BUDGETQA_ALLOWED_ORIGINS": PORTAL_ORIGIN,
           # Tests send requests faster than a person; the limits have their own tests.
           "BUDGETQA_RATE_LIMIT": "1000/second", "BUDGETQA_RATE_LIMIT_ORIGIN": "1000/second"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from budgetqa.pipeline import BudgetQA

    app = BudgetQA.from_settings()
    for name in SMALL_CORPUS:
        report = app.ingest_file(CORPUS / name)
        assert report.status != "failed", report.error
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def two_years_home(tmp_path_factory, small_corpus_home):
    """A second BUDGETQA_HOME with the Wanli 2024 and 2025 budgets and the Shaoxing text, for
    questions that name another year or compare two. The environment is not changed: tests
    pass this home to the servers or pages they start."""
    home = tmp_path_factory.mktemp("budgetqa-two-years")
    from budgetqa.pipeline import BudgetQA
    from retrieval.embedders import make_embedder
    from retrieval.index import PassageIndex
    from store.store import open_store

    app = BudgetQA(open_store(f"sqlite:///{home / 'budgetqa.sqlite'}"),
                   PassageIndex(home, make_embedder()))
    for name in SMALL_CORPUS + ("putuo-wanli-subdistrict-2025-dept-budget.pdf",):
        report = app.ingest_file(CORPUS / name)
        assert report.status != "failed", report.error
    return home
