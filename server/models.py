"""The answer object of the API as documented response models (the contract of
../shared/eval/README.md). Extra fields are kept: the answer may carry more (e.g. `reading`)
than is documented here, and a response model must never drop them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CitationModel(BaseModel):
    """Where a figure or quoted passage stands: a table cell or a narrative passage."""

    model_config = ConfigDict(extra="allow")
    kind: str = Field(description="`cell` (a table figure) or `passage` (narrative text).")
    doc: str = Field(description="Document id.")
    page: int | None = Field(None, description="1-based page; null for text disclosures.")
    table: str | None = Field(None, description="Table title (cell citations).")
    row: str | None = Field(None, description="Row label (cell citations).")
    column: str | None = Field(None, description="Column header path, levels joined by '/'.")
    value: str | None = Field(None, description="The figure as printed, e.g. '1,462.07'.")
    unit: str | None = Field(None, description="Unit as the table prints it (元, 万元 …).")
    section: str | None = Field(None, description="Section path of a passage.")
    text: str | None = Field(None, description="The quoted passage.")
    bbox: list[float] | None = Field(None, description="x0, top, x1, bottom on the page, points.")


class OptionModel(BaseModel):
    """One reading of an ambiguous question (route `clarify`)."""

    model_config = ConfigDict(extra="allow")
    wording: str = Field(description="The reading, in words.")
    value: str | None = Field(None, description="Its figure, a decimal string.")
    unit: str | None = None
    question: str | None = Field(None, description="A question that asks for this reading alone.")
    citations: list[CitationModel] = Field(default_factory=list)


class FollowupModel(BaseModel):
    asked: str = Field(description="The question as understood (e.g. 那上年呢？ completed).")
    previous: str | None = Field(None, alias="from", description="The question it follows.")
    reason: str | None = None


class AnswerModel(BaseModel):
    """An answer: the figure, how it was computed and where every operand stands."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    question: str
    doc: str | None = Field(description="Document answered from; null across several years.")
    route: str = Field(description="lookup, calc, text, clarify or none.")
    answer: str = Field(description="The answer in a sentence (Chinese).")
    value: str | None = Field(description="Decimal string, percentages in percent; null for "
                                          "text, clarify and none.")
    unit: str | None = None
    formula: str | None = Field(None, description="The arithmetic, e.g. '1462.07 ÷ 3873.19 × "
                                                  "100% = 37.75%'.")
    citations: list[CitationModel] = Field(default_factory=list)
    options: list[OptionModel] | None = Field(None, description="Readings of a clarify answer.")
    reading: dict | None = Field(None, description="How the question was understood: operation, "
                                               "wording in printed terms, read_as (everyday "
                                               "words, typos, English read as budget terms) and "
                                               "coverage (share of the question the cited "
                                               "evidence explains, and what it leaves out).")
    suggestions: list[str] | None = Field(None, description="Questions the document can answer "
                                                             "(with none and clarify answers).")
    followup: FollowupModel | None = Field(None, description="Present when the question was "
                                                             "completed from the previous one.")


class FeedbackRequest(BaseModel):
    question: str = Field(description="The question as asked.")
    answer: dict = Field(default_factory=dict, description="The answer object that was shown.")
    rating: str = Field(description="`up` (right) or `down` (wrong).")
    doc: str | None = Field(None, description="The document the reader had chosen.")
    note: str = Field("", description="What was wrong, in the reader's words.")
    source: str = Field("widget", description="`widget` or `page`.")
