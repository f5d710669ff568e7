"""The scenario explorer: every input of a scenario as a control, its results redrawn on each change.

- :mod:`.schema`: the controls, read from the scenario schema (a field added there gets a control);
- :mod:`.state`: inputs, the last valid scenario, the views and Save (no widgets);
- :mod:`.controls`, :mod:`.tables`, :mod:`.charts`: widgets, HTML tables and bqplot charts;
- :mod:`.app`: the ipywidgets page (:class:`~.app.Explorer`, :func:`~.app.start`);
- :mod:`.render`: Render report (``xiqu run`` in a subprocess) and its links;
- :mod:`.serve`: ``make explore``, the page served by Voilà on 127.0.0.1 (template in ``voila/``).
"""
from .app import DEBOUNCE_S, Control, Debouncer, Explorer, css_name, field_label, start

__all__ = ["DEBOUNCE_S", "Control", "Debouncer", "Explorer", "start", "css_name", "field_label"]
