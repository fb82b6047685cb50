"""Benchmarks of remote-signout: `python -m benchmarks [--quick] [--out FILE]`.

Every benchmark measures its subject and its baseline in the same run,
interleaved round by round, and reports medians and their ratio.
"""
