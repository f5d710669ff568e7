"""A worker's kernel template: one process with the imports done, forked into each kernel.

Run as ``python -m xiqu_analysis.runner.kernel_template FD`` by a worker
(:mod:`xiqu_analysis.runner.forked_kernels` starts it, a child of the worker
in the worker's process group). It imports ipykernel's kernel application and
:data:`~xiqu_analysis.runner.kernels.WARM_IMPORTS` once (with ``MPLBACKEND``
set as ipykernel sets it, so pyplot picks the inline backend), then answers
requests on the Unix socket ``FD`` (``SOCK_SEQPACKET``, one JSON message a
packet):

* to the worker, first: ``{"ready": true, "pid", "threads", "python_threads"}``
  (or ``{"ready": false, "reason"}``: the worker then starts its kernels the
  plain way);
* from the worker: ``{"start": N, "argv", "env", "cwd"}``, the command line,
  environment and folder jupyter_client would have started the kernel with;
  the template forks, and answers ``{"started": N, "pid"}`` with a pidfd of the
  kernel attached (``SCM_RIGHTS``), or ``{"refused": N, "reason"}``;
* to the worker, whenever a kernel ends: ``{"exited": pid, "status"}`` (the
  template is the kernel's parent and reaps it; ``status`` as
  :attr:`subprocess.Popen.returncode`).

The forked child becomes the kernel exactly as ``python -m ipykernel_launcher``
would: a session of its own (``setsid``: the kernel leads its process group,
as jupyter_client starts it), the requested folder, environment and argv,
stdin from ``/dev/null``, Python's own signal dispositions, no descriptor but
0, 1 and 2, then :meth:`IPKernelApp.launch_instance`. Each notebook still gets
a fresh process and a fresh namespace; only ``sys.modules`` is warm, as with
``exec_lines`` in a plain kernel (the same ``exec_lines`` still run).

Why forking here is safe
    The template starts no Python thread and no zmq context (it imports zmq
    through ipykernel but never creates a context; sockets and the kernel's
    threads are made after the fork, in the child). It checks
    ``threading.active_count() == 1`` before it answers ``ready``. numpy's
    OpenBLAS starts native threads of its own at import (``Threads`` in
    ``/proc/self/status`` is 2 on 2 cores); OpenBLAS registers
    ``pthread_atfork`` handlers and rebuilds its pool in the child on the first
    call (a matrix product in a forked kernel gives the same result as in a
    new process: ``tests/end_to_end/test_forked_kernels.py``). :mod:`random` reseeds itself after a fork
    (``os.register_at_fork``); numpy's legacy global generator, which would be
    the same in every child, is reseeded from the OS in each child as a new
    process seeds it (the suite's notebooks use ``default_rng`` with a seed
    anyway). ``tempfile`` notices the new pid.

Lifetime
    End of the socket (the worker closed it, or died, even by SIGKILL: nothing
    else holds the worker's end) and SIGTERM or SIGHUP: the template SIGKILLs the
    process group of every kernel it has not reaped yet (their pids cannot have
    been reused) and exits.

Environment
    Imports may read the environment, so a kernel whose environment differs
    from the template's in anything but :data:`IGNORED_ENV` is refused (the
    worker starts it the plain way). ``MPLBACKEND`` is the template's only when
    it was unset, as ipykernel leaves it. ipykernel reads ``JPY_PARENT_PID`` and
    ``JPY_INTERRUPT_EVENT`` into trait defaults when it is imported: the child
    sets both again from its own environment.
"""
from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import threading
import traceback
from typing import Any

__all__ = ["IGNORED_ENV", "MPLBACKEND", "main", "thread_count"]

#: the backend ipykernel sets when ``MPLBACKEND`` is unset (kernelapp.py, ``init_kernel``)
MPLBACKEND = "module://matplotlib_inline.backend_inline"
#: environment variables a kernel may have and the template not (or other values)
IGNORED_ENV = ("JPY_PARENT_PID", "JPY_SESSION_NAME")
#: largest message: a kernel's argv and environment
MAX_MESSAGE = 1 << 20


def thread_count() -> int:
    """Threads of this process, native ones included (``/proc/self/status``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _send(sock: socket.socket, message: dict[str, Any], fds: tuple[int, ...] = ()) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


class Template:
    """The template's state: its socket, its kernels (pid -> pidfd), its own environment."""

    def __init__(self, sock: socket.socket, own_mplbackend: bool):
        self.sock = sock
        self.kernels: dict[int, int] = {}
        self.env = dict(os.environ)
        if own_mplbackend:
            self.env.pop("MPLBACKEND", None)
        # Python's own dispositions, which the template changes and each kernel gets back
        self.signals = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}

    def differences(self, env: dict[str, str]) -> list[str]:
        """Names of the variables on which ``env`` and the template's environment differ (ignored ones aside)."""
        keys = (set(env) | set(self.env)) - set(IGNORED_ENV)
        return sorted(k for k in keys if env.get(k) != self.env.get(k))

    def stop_kernels(self) -> None:
        """SIGKILL the process group of every kernel not yet reaped (its pid is still its own)."""
        for pid in list(self.kernels):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass

    def serve(self) -> int:
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        by_fd: dict[int, int] = {}
        while True:
            for fd, _ in poller.poll():
                if fd == self.sock.fileno():
                    try:
                        data, _fds, _flags, _addr = socket.recv_fds(self.sock, MAX_MESSAGE, 1)
                    except OSError:
                        data = b""
                    if not data:  # the worker closed its end, or is gone
                        self.stop_kernels()
                        return 0
                    pid, pidfd = self.start(json.loads(data))
                    if pidfd is not None:
                        by_fd[pidfd] = pid
                        poller.register(pidfd, select.POLLIN)
                elif fd in by_fd:
                    pid = by_fd.pop(fd)
                    poller.unregister(fd)
                    self.reap(pid, fd)

    def reap(self, pid: int, pidfd: int) -> None:
        try:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            code = -signal.SIGKILL
        self.kernels.pop(pid, None)
        os.close(pidfd)
        try:
            _send(self.sock, {"exited": pid, "status": code})
        except OSError:
            pass

    def start(self, request: dict[str, Any]) -> tuple[int, int | None]:
        number = request.get("start")
        argv, env, cwd = list(request["argv"]), dict(request["env"]), str(request["cwd"])
        differ = self.differences(env)
        if differ:
            _send(self.sock, {"refused": number, "reason": f"environment differs in {', '.join(differ[:5])}"})
            return 0, None
        pid = os.fork()
        if pid == 0:  # the kernel: never returns into the template's code
            code = 1
            try:
                code = self.become_kernel(argv, env, cwd)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:  # noqa: BLE001 - reported on stderr, like a kernel that fails to start
                traceback.print_exc()
            finally:
                _exit(code)
        pidfd = os.pidfd_open(pid)
        self.kernels[pid] = pidfd
        try:
            _send(self.sock, {"started": number, "pid": pid}, (pidfd,))
        except OSError:
            pass
        return pid, pidfd

    def become_kernel(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """In the forked child: what ``Popen(argv, env=env, cwd=cwd, start_new_session=True)`` would give."""
        os.setsid()
        for sig, handler in self.signals.items():
            signal.signal(sig, handler)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the socket, the other kernels' pidfds
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(cwd)
        _clearenv()  # also what C code of an import set behind os.environ's back
        os.environ.clear()
        os.environ.update(env)
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # the legacy global generator, from the OS as in a new process
        import ipykernel_launcher
        from ipykernel.kernelapp import IPKernelApp

        # trait defaults ipykernel read from the environment when the template imported it
        for name, variable in (("parent_handle", "JPY_PARENT_PID"), ("interrupt", "JPY_INTERRUPT_EVENT")):
            value = int(os.environ.get(variable) or 0)
            IPKernelApp.class_traits()[name].default_value = value
            IPKernelApp._static_immutable_initial_values[name] = value  # where traitlets keeps it
        sys.argv = [ipykernel_launcher.__file__, *argv[3:]]
        IPKernelApp.launch_instance(argv=argv[3:])
        return 0


def _clearenv() -> None:
    """Empty the C library's environment (``clearenv``), where it has one."""
    import ctypes

    try:
        ctypes.CDLL(None).clearenv()
    except (OSError, AttributeError):
        pass


def _exit(code: int) -> None:
    """End the forked child as an interpreter would: exit handlers, flushed streams."""
    import atexit

    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _warm_up() -> list[str]:
    """Import the kernel application and the warm imports; the names that failed to import."""
    from importlib import import_module

    from ipykernel import kernelapp  # noqa: F401 - the kernel application itself

    from .kernels import WARM_IMPORTS

    failed = []
    for name in WARM_IMPORTS:
        try:
            import_module(name)
        except Exception:  # noqa: BLE001 - the kernel's exec_lines then report it, as in a plain kernel
            failed.append(name)
    return failed


def main(argv: list[str] | None = None) -> int:
    """Entry point: warm up, say ready on socket ``argv[0]``, serve until it closes."""
    argv = sys.argv[1:] if argv is None else argv
    # as ipykernel_launcher does: the folder it was started in is not on the path (IPython adds '')
    if sys.path and (sys.path[0] == "" or os.path.abspath(sys.path[0]) == os.getcwd()):
        del sys.path[0]
    sock = socket.socket(fileno=int(argv[0]))
    own_mplbackend = not os.environ.get("MPLBACKEND")
    if own_mplbackend:
        os.environ["MPLBACKEND"] = MPLBACKEND
    template = Template(sock, own_mplbackend)

    def stop(signum, frame):  # noqa: ARG001 - signal handler signature
        template.stop_kernels()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        failed = _warm_up()
    except Exception as exc:  # noqa: BLE001 - the worker starts its kernels the plain way
        _send(sock, {"ready": False, "reason": f"{type(exc).__name__}: {exc}"})
        return 1
    if threading.active_count() != 1:
        _send(sock, {"ready": False, "reason": f"{threading.active_count()} Python threads after the imports"})
        return 1
    _send(sock, {"ready": True, "pid": os.getpid(), "threads": thread_count(),
                 "python_threads": threading.active_count(), "failed_imports": failed})
    return template.serve()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
