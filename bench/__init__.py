"""Benchmarks: accuracy, speed and scale."""
