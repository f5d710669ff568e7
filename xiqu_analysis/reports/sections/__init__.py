"""One module of sections per notebook, and the sections they share.

:mod:`.scenario_report`, :mod:`.comparison`, :mod:`.data_audit` and
:mod:`.annual_review` each have a ``start(namespace)`` that checks the
notebook's parameters, loads its inputs once and opens the report; every other
function writes one section. Sections may use words, charts, tables and
formats; none of those imports a section.
"""
