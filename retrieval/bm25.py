"""Okapi BM25 over jieba tokens, with budget vocabulary kept whole.

jieba's general dictionary cuts budget terms apart (机关运行经费 → 机关/运行/经费), which
loses the phrase match that makes a passage the right one. `add_terms` puts such terms
into jieba's dictionary; the pipeline feeds it the row labels and headings of ingested
tables. Tokenizing uses `cut_for_search`, which emits a long word *and* its parts, so a
question that says 运行经费 still meets a passage that says 机关运行经费.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import jieba

# Budget terms every disclosure uses; they must survive tokenizing as one token.
BUDGET_TERMS = (
    "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款", "财政专户管理资金",
    "机关运行经费", "三公经费", "因公出国(境)费", "公务接待费", "公务用车购置及运行费",
    "公务用车购置费", "公务用车运行费", "公务用车", "会议费", "培训费", "政府采购",
    "政府采购预算", "基本支出", "项目支出", "人员经费", "公用经费", "对个人和家庭的补助",
    "工资福利支出", "商品和服务支出", "资本性支出", "绩效目标", "绩效评价", "预算绩效",
    "国有资产", "固定资产", "通用设备", "专用设备", "上年结转", "结转下年", "事业收入",
    "事业单位", "行政单位", "参照公务员法管理", "预算单位", "住房保障支出", "提租补贴",
    "住房公积金", "社会保障和就业支出", "城乡社区支出", "一般公共服务支出", "公共安全支出",
    "卫生健康支出", "教育支出", "离退休", "机关事业单位基本养老保险缴费", "职业年金",
    "单位预留机动经费", "收支预算", "部门预算", "单位预算", "部门决算", "名词解释",
    "中小企业", "信息化", "物业管理费",
)

# Question words and particles: frequent in questions, never what makes a passage right.
STOPWORDS = frozenset("""
的 了 是 和 与 及 或 在 为 对 等 其 中 之 有 也 都 就 被 把 从 由 以 于 并 而 个 这 那 吗 呢 啊
年 什么 哪些 哪个 哪里 多少 如何 怎么 怎样 为什么 为何 是否 请问 一下 有没有 主要 情况
""".split())

_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』《》")
_PUNCT = re.compile(r"^[\W_]+$")

_vocab_lock = threading.Lock()
_vocab_version = 0  # bumped whenever jieba's dictionary grows, so indexes know to re-tokenize
_known_terms: set[str] = set()


def normalize(text: str) -> str:
    """Fold full-width forms (NFKC) and drop quotes, so “三公”经费 reads as 三公经费."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def add_terms(terms: Iterable[str]) -> int:
    """Add budget vocabulary to jieba's dictionary so each term stays one token.

    Terms are normalized the way texts are; blanks, single characters and terms already
    known are skipped. Returns how many terms were new. Safe to call repeatedly.
    """
    global _vocab_version
    added = 0
    with _vocab_lock:
        for term in terms:
            term = normalize(term).strip()
            # Leading numbering (一、 (三) 1.) belongs to the heading, not the term.
            term = re.sub(r"^(?:[一二三四五六七八九十]+、|\(\w{1,3}\)|\d+[、.])\s*", "", term)
            if len(term) < 2 or term in _known_terms or re.search(r"\s", term):
                continue
            # A high frequency makes jieba prefer the whole term over its parts.
            jieba.add_word(term, freq=max(jieba.get_FREQ(term) or 0, 20000))
            _known_terms.add(term)
            added += 1
        if added:
            _vocab_version += 1
    return added


def vocab_version() -> int:
    """Changes whenever `add_terms` adds a term; token lists made earlier may be stale."""
    return _vocab_version


def words(text: str) -> list[str]:
    """jieba's words of `text`, with the budget vocabulary kept whole (预算单位, 公务用车)."""
    if not _known_terms.issuperset(BUDGET_TERMS):
        add_terms(BUDGET_TERMS)
    return [w for w in jieba.lcut(normalize(text)) if w.strip()]


def tokenize(text: str) -> list[str]:
    """Search tokens of `text`: jieba words, their sub-words and characters, without punctuation
    and stopwords."""
    if not _known_terms.issuperset(BUDGET_TERMS):
        # Documents' own labels may have been added first; the common vocabulary must be too.
        add_terms(BUDGET_TERMS)
    tokens = []
    for token in jieba.cut_for_search(normalize(text).lower()):
        token = token.strip()
        if token and token not in STOPWORDS and not _PUNCT.match(token):
            tokens.append(token)
    # The characters of each word as well: a question's 车 then meets a passage's 车辆,
    # which no word-level match would; idf keeps common characters (支, 出) light.
    tokens += [c for t in tokens if len(t) > 1 for c in t if "\u4e00" <= c <= "\u9fff"]
    return tokens


class BM25:
    """Okapi BM25 over pre-tokenized documents, kept in memory.

    k1 and b are the usual defaults; passages are short and of similar length, so the
    length normalization matters less than the idf of budget terms.
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = [Counter(doc) for doc in docs]
        self.lengths = [len(doc) for doc in docs]
        self.avg_len = (sum(self.lengths) / len(self.lengths)) if docs else 0.0
        df: Counter[str] = Counter()
        for counts in self.tf:
            df.update(counts.keys())
        n = len(docs)
        # The "+1" form of idf stays positive for terms in most documents.
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def __len__(self) -> int:
        return len(self.tf)

    def scores(self, query: Sequence[str], candidates: Iterable[int] | None = None) -> dict[int, float]:
        """BM25 score of each candidate document (all by default) that shares a query token.

        With `candidates`, idf and average length are taken over the candidates only:
        searching within one disclosure, its own name (检察院, 办公厅) and year occur in
        most of its passages and must weigh nothing, however rare they are corpus-wide.
        """
        terms = [t for t in dict.fromkeys(query) if t in self.idf]
        if candidates is None:
            pool, idf, avg_len = range(len(self.tf)), self.idf, self.avg_len
        else:
            pool = list(candidates)
            n = len(pool)
            idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5))
                   for t in terms for f in [sum(1 for i in pool if t in self.tf[i])]}
            avg_len = (sum(self.lengths[i] for i in pool) / n) if n else 0.0
        out: dict[int, float] = {}
        for i in pool:
            counts = self.tf[i]
            norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / (avg_len or 1))
            score = 0.0
            for t in terms:
                f = counts.get(t)
                if f:
                    score += idf[t] * f * (self.k1 + 1) / (f + norm)
            if score > 0:
                out[i] = score
        return out

    def top(self, query: Sequence[str], n: int,
            candidates: Iterable[int] | None = None) -> list[tuple[int, float]]:
        """The `n` best (document position, score) pairs, best first."""
        scored = self.scores(query, candidates)
        return sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
