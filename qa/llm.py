"""The optional LLM (BUDGETQA_LLM): plans for questions the rules cannot read, and rewording.

    question ──rules──▶ route none, numeric? ──QuestionPlanner.plan(question, vocabulary)──▶ Plan
        (names only, checked against the document's vocabulary) ──plan_to_question──▶
        canonical question ──rules again──▶ Answer with cells, calc/ formula and citations
    Answer ──AnswerPhraser.phrase──▶ reworded text, kept only if number_guard passes

The model never supplies a number: figures come from the store and arithmetic from calc/.
With BUDGETQA_LLM empty (the default) `make_planner()` and `make_phraser()` return None
and nothing here imports langchain_openai.
"""

from __future__ import annotations

from qa.llm_model import make_chat_model, parse_spec
from qa.llm_phrase import (AnswerPhraser, amounts_in, number_guard, numbers_in,
                           states_value)
from qa.llm_plan import (OPERATIONS, Plan, QuestionPlanner, parse_json_object, plan_to_question,
                         validate_plan, vocabulary_from_view)

__all__ = ["OPERATIONS", "AnswerPhraser", "Plan", "QuestionPlanner", "amounts_in",
           "make_chat_model", "make_phraser", "make_planner", "number_guard", "numbers_in", "parse_json_object",
           "parse_spec", "plan_to_question", "states_value", "validate_plan",
           "vocabulary_from_view"]


def make_planner(chat_model=None) -> QuestionPlanner | None:
    """A planner over `chat_model`, else over the model BUDGETQA_LLM names; None when off."""
    chat_model = chat_model if chat_model is not None else make_chat_model()
    return QuestionPlanner(chat_model) if chat_model is not None else None


def make_phraser(chat_model=None) -> AnswerPhraser | None:
    """A phraser over `chat_model`, else over the model BUDGETQA_LLM names; None when off."""
    chat_model = chat_model if chat_model is not None else make_chat_model()
    return AnswerPhraser(chat_model) if chat_model is not None else None
