"""Benchmarks for newsfold: ``python -m bench`` runs them and writes ``bench/RESULTS.md``."""
