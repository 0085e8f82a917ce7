"""Shared fixtures: a temporary BudgetQA home with a small real corpus ingested. And how the
suite runs in parallel (`make test` runs it with pytest-xdist): corpus readings shared by the
workers (tests/corpus_cache.py), modules with fixtures of their own kept on one worker, and the
slow tests handed out first."""

from __future__ import annotations

import json
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


# Fixture scopes that a module's tests share: built once per worker that runs one of them.
SHARED_SCOPES = ("class", "module", "package")
# Where the workers leave each test's group for the scheduler (in the run's readings folder).
GROUPS_FILE = "xdist-groups.json"


def _shares_fixtures(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    return info is not None and any(
        d.scope in SHARED_SCOPES for defs in info.name2fixturedefs.values() for d in defs)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """In a pytest-xdist worker (each collects the whole suite): a test that uses a
    module-scoped fixture (a store it parses into, a server, Chromium) belongs to its
    module's group, which runs on one worker, so the fixture is built once; any other test
    is a group of its own and goes to whichever worker is free. Groups holding a slow test
    come first, so that no long module starts last while the other worker idles. Without
    xdist nothing changes: same tests, same order."""
    if not hasattr(config, "workerinput"):
        return
    group_of = {}
    for item in items:
        marker = item.get_closest_marker("xdist_group")
        if marker is not None:
            group_of[item] = str(marker.args[0] if marker.args else marker.kwargs.get("name"))
        elif _shares_fixtures(item):
            group_of[item] = item.nodeid.split("::")[0]
        else:
            group_of[item] = item.nodeid
    slow_groups = {group_of[i] for i in items if i.get_closest_marker("slow")}
    items.sort(key=lambda i: group_of[i] not in slow_groups)  # stable: slow groups first
    folder = os.environ.get(CACHE_ENV)
    if folder:  # every worker writes the same groups; the last whole file stays
        partial = Path(folder) / f"{GROUPS_FILE}.{config.workerinput['workerid']}"
        partial.write_text(json.dumps({i.nodeid: group_of[i] for i in items}), encoding="utf-8")
        os.replace(partial, Path(folder) / GROUPS_FILE)


def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup by the groups of pytest_collection_modifyitems. xdist's own loadgroup
    marks a group by renaming the test's node id, which pytest 9.2 no longer allows (its ids
    are structured): the tests then spread one by one (pytest-xdist issue 1386)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileGroupScheduling(LoadScopeScheduling):
        """Whole groups to each worker; a group is read from the workers' groups file
        (called once all workers have collected, so the file is there)."""

        groups: dict | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                self.groups = json.loads((Path(os.environ[CACHE_ENV]) / GROUPS_FILE)
                                         .read_text(encoding="utf-8"))
            return self.groups.get(nodeid, nodeid)

    return FileGroupScheduling(config, log)


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
    from tests.ingested import ingest_corpus_file

    app = BudgetQA.from_settings()
    for name in SMALL_CORPUS:
        report = ingest_corpus_file(app, CORPUS / name)
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
    from tests.ingested import ingest_corpus_file

    app = BudgetQA(open_store(f"sqlite:///{home / 'budgetqa.sqlite'}"),
                   PassageIndex(home, make_embedder()))
    for name in SMALL_CORPUS + ("putuo-wanli-subdistrict-2025-dept-budget.pdf",):
        report = ingest_corpus_file(app, CORPUS / name)
        assert report.status != "failed", report.error
    return home
