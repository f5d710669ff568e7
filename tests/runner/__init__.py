"""Tests of xiqu_analysis.runner without a kernel: checks before a run, the record, reuse, comparison."""
