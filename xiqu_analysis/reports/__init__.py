"""Reports: every word, chart and written file.

- :mod:`.locales`: the languages (one folder of ``locale/<lang>/*.yaml`` each) and each one's
  :class:`~.locales.Locale`: its words and how it writes numbers, periods, lists and fonts;
- :mod:`.text`, ``locale/<lang>/*.yaml``: every sentence and label, in each language;
- :mod:`.narrative`: paragraphs whose numbers carry their sources;
- :mod:`.plots`: matplotlib figures (Agg, CJK font);
- :mod:`.tables`: the tables readers see, with translated headers;
- :mod:`.artifacts`: the writer of a report's tables, figures, workbook and text;
- :mod:`.parameters`: the notebook registry and a pydantic model of each notebook's parameters;
- one module of sections per notebook: :mod:`.scenario_report`,
  :mod:`.comparison`, :mod:`.data_audit`, :mod:`.annual_review`. Each has a
  ``start(namespace)`` that checks the notebook's parameters, loads its
  inputs once and opens the report.
"""
