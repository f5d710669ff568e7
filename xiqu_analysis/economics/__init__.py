"""Economics: pure functions over the records of :mod:`xiqu_analysis.inputs`.

No module here opens a file, prints, or writes a sentence a reader sees:
computations take a scenario and a region's data (loaded once by the caller),
return codes and numbers, and take randomness as an argument.

- :mod:`.growth`: compound indices, average, required and implied growth;
- :mod:`.columns`, :mod:`.projection`: the projection table and its one chain
  (:func:`~.projection.project_arrays`), which the Monte Carlo reuses;
- :mod:`.targets`: the plan's targets against a projection;
- :mod:`.uncertainty`: Monte Carlo paths, percentiles and probabilities;
- :mod:`.sensitivity`: one-at-a-time sensitivity (tornado);
- :mod:`.forecasting` (with :mod:`.forecast_models`, :mod:`.forecast_backtest`), :mod:`.calibration`:
  forecasts of bulletin series (small-sample intervals, statsmodels for longer series) and calibration;
- :mod:`.audit` (with :mod:`.audit_checks`, :mod:`.audit_parts`, :mod:`.audit_findings`): the plan's
  figures checked against each other, one finding per inconsistency;
- :mod:`.observed`: a scenario against the figures observed after its base year;
- :mod:`.pipeline`: the plan's project pipeline, counted once, against GDP;
- :mod:`.review`: the annual review of actuals against plan and scenarios.

Results share one vocabulary: each result record holds the scenario or inputs
it came from and exposes its main table as ``.table`` (a tidy DataFrame whose
units are stated in the record's docstring).
"""
