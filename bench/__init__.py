"""Benchmarks of shop-sandbox (not tests): `bench/run [--quick]`; see docs/performance.md."""
