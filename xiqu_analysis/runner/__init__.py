"""The runner: a suite of notebooks executed in parallel worker processes, with a true record.

- :mod:`.suites`: which notebooks a run executes (:func:`~.suites.plan_suite`);
- :mod:`.validate`: every check before a kernel starts;
- :mod:`.execute`: scheduling, signals, the manifest and the index (:func:`~.execute.run_jobs`);
- :mod:`.executors`: where jobs execute (submit, poll, cancel), the warm local pool by default;
  :mod:`.dask_executor`: the same jobs on a Dask distributed cluster;
- :mod:`.worker`: the child process that executes one notebook;
- :mod:`.processes`: stopping a worker and its kernel (psutil);
- :mod:`.render`: HTML without code, artefact checks, ``index.html``;
- :mod:`.manifest`: run folders, ``manifest.json``, the ``latest`` pointer;
- :mod:`.papermill_guard`: papermill's engine entry point, refusing a parameter name that is not an
  identifier or not declared before the plain ``papermill`` command runs a cell.
"""
