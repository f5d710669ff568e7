"""Tests of the xiqu commands (xiqu_analysis.cli), in process and as a subprocess."""
