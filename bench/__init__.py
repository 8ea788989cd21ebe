"""Benchmarks (`make bench-import`, `make bench-api`); not part of the installed package."""
