"""Calc: exact Decimal arithmetic over cited figures, and the consistency audit."""
