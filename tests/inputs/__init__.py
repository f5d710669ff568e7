"""Tests of xiqu_analysis.inputs: data tables, scenario files and their loaders."""
