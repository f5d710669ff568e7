"""Tests of xiqu_analysis.reports without a kernel: words, tables, charts, formats, report sections, explorer."""
