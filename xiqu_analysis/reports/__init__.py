"""Reports: every word, chart and written file, in one subpackage per job.

- :mod:`.words` (with ``locale/<lang>/*.yaml``): the languages (:class:`~.words.locales.Locale`: its
  words and how it writes numbers, periods, lists and fonts), every sentence and label, numbers in
  text, citations, the computations' codes in words;
- :mod:`.charts`: matplotlib figures (Agg, CJK font);
- :mod:`.tables`: the tables readers see, with translated headers;
- :mod:`.formats`: HTML tables, document.json, Word, PDF, workbooks and the
  :class:`~.formats.artifacts.Report` that writes a report's files;
- :mod:`.parameters`: the notebook registry and a pydantic model of each notebook's parameters;
- :mod:`.sections`: one module of sections per notebook (:mod:`.sections.scenario_report`,
  :mod:`.sections.comparison`, :mod:`.sections.data_audit`, :mod:`.sections.annual_review`).
  Each has a ``start(namespace)`` that checks the notebook's parameters, loads its
  inputs once and opens the report;
- :mod:`.explorer`: the interactive explorer.

Imports run one way: explorer, then sections, parameters, formats, charts and tables, words
(``pyproject.toml``, ``[tool.importlinter]``).
"""
