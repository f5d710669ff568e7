"""``make explore``: the explorer notebook served as a Voilà page on this machine only.

``python -m xiqu_analysis.reports.explorer.serve [--port 8866]`` runs Voilà on
``127.0.0.1`` (never another address) with the notebook's code hidden, the
project folder as Voilà's root, and the reports that Render writes under
``outputs/`` allowed as files, so the page's links open them, and the browser's
``Accept-Language`` passed to each page's kernel (:mod:`.language`: the page
opens in the browser's language, or ``?lang=zh``). Ctrl+C stops it.
The browser test starts the page with :func:`voila_command` too.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ... import config
from .language import HEADER

__all__ = ["HOST", "DEFAULT_PORT", "READER_FILES", "TEMPLATE", "KERNEL_IDLE_S", "KERNEL_CULL_INTERVAL_S", "voila_command",
           "voila_environment", "main"]

#: the only address the page listens on
HOST = "127.0.0.1"
DEFAULT_PORT = 8866
#: files under the project that the page may serve: the reports Render writes
READER_FILES = r"outputs/.*\.(html|docx|pdf|xlsx|png|csv)"
#: the page's Voilà template (``reports/voila/templates/``): Voilà's lab template without its CDN stylesheets
TEMPLATE = "xiqu-explorer"
#: JupyterLab extensions the page does not load (the notebooks' jupytext pairing is of no use there)
SKIPPED_EXTENSIONS = ("jupyterlab-jupytext",)


#: a kernel whose page is closed (no connection left) and idle this long is shut down, seconds
KERNEL_IDLE_S = 60
#: how often the server looks for such kernels, seconds
KERNEL_CULL_INTERVAL_S = 20


def voila_command(port: int = DEFAULT_PORT, notebook: str | Path | None = None, *,
                  idle_s: int = KERNEL_IDLE_S, cull_interval_s: int = KERNEL_CULL_INTERVAL_S) -> list[str]:
    """The Voilà command line serving ``notebooks/explore.ipynb`` on ``127.0.0.1:<port>``.

    Each open page has a kernel of its own; a page closed leaves its kernel
    without a connection, and the server shuts it down once it has been idle
    ``idle_s`` seconds (checked every ``cull_interval_s``): kernels return to
    zero after the pages close. A page still open keeps its kernel however
    long it is left alone (connected kernels are never culled).
    """
    nb = Path(notebook) if notebook is not None else config.notebook_dir() / "explore.ipynb"
    voila = Path(sys.executable).with_name("voila")
    head = [str(voila)] if voila.exists() else [sys.executable, "-m", "voila"]
    return [*head, str(nb), "--no-browser", f"--Voila.ip={HOST}", f"--port={int(port)}",
            f"--Voila.root_dir={config.PROJECT_ROOT}", "--strip_sources=True", "--theme=light",
            f"--VoilaConfiguration.file_allowlist={READER_FILES}", f"--template={TEMPLATE}",
            *(f"--VoilaConfiguration.extension_denylist={name}" for name in SKIPPED_EXTENSIONS),
            "--VoilaConfiguration.show_tracebacks=False",
            f"--VoilaConfiguration.http_header_envs={HEADER}",  # the browser's languages: the page opens in one
            f"--MappingKernelManager.cull_idle_timeout={int(idle_s)}",
            f"--MappingKernelManager.cull_interval={int(cull_interval_s)}",
            "--MappingKernelManager.cull_connected=False"]


def voila_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Voilà runs in: ``JUPYTER_PATH`` led by the folder holding the page's template."""
    env = dict(os.environ if base is None else base)
    here = str(Path(__file__).resolve().parent)
    env["JUPYTER_PATH"] = os.pathsep.join([here, *filter(None, [env.get("JUPYTER_PATH")])])
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xiqu_analysis.reports.explorer.serve",
                                     description="Serve the scenario explorer as a Voilà page on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    cmd = voila_command(args.port)
    print(f"Scenario explorer: http://{HOST}:{args.port}/  (Ctrl+C stops it)", flush=True)
    os.execve(cmd[0], cmd, voila_environment())  # Voilà replaces this process: Ctrl+C and the exit status are its own
    return 0  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
