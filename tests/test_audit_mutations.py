"""The planted-error benchmark's slips (bench/audit_mutations.slip): pure, on printed figures
as the store holds them."""

import random

from bench.audit_mutations import slip, still_rounds


def test_times10_keeps_the_printed_form():
    assert slip("1,234.50", "times10", random.Random(1)) == "12,345.00"
    assert slip("95", "times10", random.Random(1)) == "950"


def test_a_figure_printed_in_words_has_no_times10():
    # A target cell read from a form's grid ("=300.00(场)") prints no plain amount: the slip
    # does not apply (the benchmark drew such cells and stopped on them).
    assert slip("=300.00(场)", "times10", random.Random(1)) is None


def test_slips_change_the_figure_beyond_its_rounding():
    rng = random.Random(7)
    for klass in ("last_digit", "swap", "drop_digit"):
        after = slip("4,563,800.00", klass, rng)
        assert after is not None and not still_rounds("4,563,800.00", after)
