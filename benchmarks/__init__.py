"""Benchmarks run on demand (not part of the test suite): corpus generator and throughput runner."""
