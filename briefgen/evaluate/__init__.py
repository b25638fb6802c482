"""Benchmarks and evaluations of briefgen."""
