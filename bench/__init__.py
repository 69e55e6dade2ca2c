"""Benchmark harness and synthetic corpus generator (see bench/README.md)."""
