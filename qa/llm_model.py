"""The optional chat model (BUDGETQA_LLM) and the one way the rest of qa/ talks to it.

Off by default: with BUDGETQA_LLM empty, `make_chat_model()` returns None and
langchain_openai is never imported. The API key is read here and handed to the client;
it never appears in a message, an error or a log line.
"""

from __future__ import annotations

import logging
import re

from budgetqa import settings
from budgetqa.errors import SettingsError

log = logging.getLogger(__name__)

# MODEL@BASE_URL; the model name may itself hold "@" or ":" (e.g. "qwen2.5:7b"), so the split
# is at the last "@" that is followed by an http(s) URL.
_SPEC = re.compile(r"^(?P<model>\S+?)@(?P<url>https?://[^\s@]+)$")
# A local server (vLLM, Ollama) ignores the key, but the OpenAI client insists on one.
PLACEHOLDER_KEY = "EMPTY"
# Seconds for one request, and retries: a slow endpoint must not stall the router for long.
TIMEOUT = 30.0
MAX_RETRIES = 1


def parse_spec(spec: str) -> tuple[str, str]:
    """(model, base_url) from a BUDGETQA_LLM value; SettingsError naming the value if malformed."""
    match = _SPEC.match(spec.strip())
    if not match:
        raise SettingsError(
            f"BUDGETQA_LLM={spec!r} is not MODEL@BASE_URL, e.g. "
            "qwen-plus@https://dashscope.aliyuncs.com/compatible-mode/v1 or "
            "qwen2.5:7b@http://localhost:11434/v1",
            name="BUDGETQA_LLM", value=spec)
    return match.group("model"), match.group("url").rstrip("/")


def make_chat_model():
    """A langchain chat model for the OpenAI-compatible endpoint in BUDGETQA_LLM, or None.

    Returns None when BUDGETQA_LLM is empty (the default). Raises SettingsError when the
    value is not MODEL@BASE_URL, when langchain-openai is not installed (`pip install
    'budgetqa[llm]'`), or when the client refuses the settings.
    """
    spec = settings.get("BUDGETQA_LLM").strip()
    if not spec:
        return None
    model, base_url = parse_spec(spec)
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise SettingsError(
            "BUDGETQA_LLM is set but langchain-openai is not installed; "
            "install it with: pip install 'budgetqa[llm]'",
            name="BUDGETQA_LLM", value=spec) from exc
    key = settings.get("BUDGETQA_LLM_API_KEY") or PLACEHOLDER_KEY
    try:
        chat = ChatOpenAI(model=model, base_url=base_url, api_key=key, temperature=0,
                          timeout=TIMEOUT, max_retries=MAX_RETRIES)
    except Exception as exc:  # pydantic or openai validation; its text may echo the key
        raise SettingsError(f"BUDGETQA_LLM={spec!r} was refused by the chat client "
                            f"({type(exc).__name__})", name="BUDGETQA_LLM", value=spec) from None
    log.info("LLM enabled: model %s at %s", model, base_url)
    return chat


def message_text(message) -> str:
    """The text of a chat model's reply, whether its content is a string or content blocks."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type", "text") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return str(content or "")


def chat_messages(system: str, user: str) -> list:
    """A system and a user message, in langchain's message types."""
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(content=system), HumanMessage(content=user)]
