"""Words: labels, sentences, numbers in text, citations and codes in a reader's language.

The sentences themselves are in ``reports/locale/<lang>/*.yaml``; :mod:`.text`
reads them. Words import nothing else of the reports.
"""
