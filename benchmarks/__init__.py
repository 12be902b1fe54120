"""Benchmarks: python -m benchmarks.run (make bench)."""
