"""The runner: a suite of notebooks executed in parallel worker processes, with a true record.

- :mod:`.suites`: which notebooks a run executes (:func:`~.suites.plan_suite`);
- :mod:`.validate`: every check before a kernel starts;
- :mod:`.execute`: scheduling, signals, the manifest and the index (:func:`~.execute.run_jobs`);
- :mod:`.executors`: where jobs execute (submit, poll, cancel), the warm local pool by default;
  :mod:`.dask_executor`: the same jobs on a Dask distributed cluster;
- :mod:`.worker`: the child process that executes one notebook;
- :mod:`.kernels`: a worker's kernels; :mod:`.forked_kernels` and :mod:`.kernel_template`: kernels forked
  from a template process that has done the imports once;
- :mod:`.processes`: stopping a worker and its kernel (psutil);
- :mod:`.render`: HTML without code, artefact checks, ``index.html``;
- :mod:`.manifest`: run folders, ``manifest.json``, the ``latest`` pointer;
- :mod:`.papermill_guard`: papermill's engine entry point, refusing a parameter name that is not an
  identifier or not declared before the plain ``papermill`` command runs a cell.
"""

import sys

__all__ = ["skip_iri_format_checks"]


def skip_iri_format_checks() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process.

    jsonschema (imported by nbformat) imports rfc3987_syntax when it is
    installed, which compiles a Lark grammar at import time: about 2 s of CPU
    in every process, only to check "iri" string formats that notebook
    validation never uses. Called by processes that exist only to run this
    package (a worker, the ``xiqu`` command, the test session), never by the
    library itself, so a user's own session keeps every format check.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
