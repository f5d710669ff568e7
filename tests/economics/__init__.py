"""Tests of xiqu_analysis.economics: projection, targets, uncertainty, audit, review and the other computations."""
