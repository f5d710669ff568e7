"""Formats: a report as HTML tables, document.json, Word, PDF and workbooks, and the Report that writes them."""
