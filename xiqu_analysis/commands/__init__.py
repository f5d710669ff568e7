"""One module per ``xiqu`` sub-command (see :mod:`xiqu_analysis.cli`)."""
