"""Benchmarks of the referral pipeline, measured against what an admin would use instead.

``python -m testkit.benchmarks`` (``--quick`` for a smoke run) generates its own fictional workload
with a fixed seed, runs every scenario several times, each in a fresh process, and writes
``benchmarks/results.md``. Nothing here is part of the test suite.
"""
