"""Benchmarks: `uv run python -m benchmarks [AREA ...]`. Each area reports ratios against a
baseline measured in the same run (the machine is shared and noisy)."""
