"""A worker's side of its kernel template: kernels forked with the imports done, handled like processes.

A worker (:class:`xiqu_analysis.runner.kernels.Kernels`) starts one
:mod:`~xiqu_analysis.runner.kernel_template` process, its child, which imports
ipykernel and the heavy modules once. Each plain ipykernel kernel of the
worker's own Python (argv ``[sys.executable, -m, ipykernel_launcher, -f,
CONNECTION_FILE, ...]``, the kernel spec ``python3`` of this environment) is
then forked from it: ``ForkProvisioner`` (:func:`provisioner_class`), jupyter_client's
:class:`LocalProvisioner` with a :class:`ForkedKernel` in place of the
:class:`subprocess.Popen` of the kernel. Everything jupyter_client and nbclient
do with a kernel process (poll, wait, interrupt, kill, death detection) works on
it unchanged. Any other kernel spec starts as before.

Signals reach a forked kernel through a pidfd (``os.pidfd_open``, taken by the
template before it could reap the kernel, and passed over the socket): a kernel
that has ended and been reaped is never signalled, nor a process that reuses its
pid. Its process group (the kernel leads one) is signalled only after the
pidfd says the kernel has not been reaped (while it has not, no process can
take its pid as a group id).

``XIQU_FORK_KERNELS=0`` turns forking off (every kernel starts the plain way).
If the template cannot start, says it is not ready, or dies, the worker logs it
once and starts its kernels the plain way; the run goes on.
"""
from __future__ import annotations

import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

__all__ = ["ENV_SWITCH", "ForkedKernel", "KernelTemplate", "fork_enabled", "is_plain_ipykernel",
           "provisioner_class", "spec_is_plain"]

log = logging.getLogger("xiqu_analysis.runner.forked_kernels")

#: environment variable: ``0`` (or ``false``, ``no``, ``off``) starts every kernel the plain way
ENV_SWITCH = "XIQU_FORK_KERNELS"
#: seconds a worker waits for its template's imports before the first kernel starts the plain way
READY_TIMEOUT_S = 60.0
#: seconds to wait for the template's report of a kernel's exit status once the kernel has ended
STATUS_WAIT_S = 2.0
#: launch arguments a forked kernel honours (any other one, or a stream given, starts it the plain way)
_LAUNCH_KEYS = frozenset({"env", "cwd", "stdin", "stdout", "stderr", "kernel_id", "extra_arguments"})


def fork_enabled(environ: Any = None) -> bool:
    """Whether kernels are forked from a template (``XIQU_FORK_KERNELS``, default on)."""
    value = (os.environ if environ is None else environ).get(ENV_SWITCH, "1")
    return value.strip().lower() not in {"0", "false", "no", "off"}


def is_plain_ipykernel(cmd: list[str], kwargs: dict[str, Any]) -> bool:
    """True for ``[this python, -m, ipykernel_launcher, -f, FILE, ...]`` with nothing but env, cwd."""
    if len(cmd) < 5 or cmd[0] != sys.executable or cmd[1:4] != ["-m", "ipykernel_launcher", "-f"]:
        return False
    if set(kwargs) - _LAUNCH_KEYS or kwargs.get("independent"):
        return False
    return all(kwargs.get(k) is None for k in ("stdin", "stdout", "stderr"))


def spec_is_plain(kernel_name: str) -> bool:
    """Whether kernel spec ``kernel_name`` is this Python's plain ipykernel (its kernels would be forked)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel_name)
    except (NoSuchKernel, OSError, ValueError):
        return False
    # jupyter_client runs "python", "python3" and "python3.X" of a spec as sys.executable
    python = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}",
              sys.executable}
    return len(spec.argv) >= 5 and spec.argv[0] in python and spec.argv[1:4] == ["-m", "ipykernel_launcher", "-f"] \
        and not spec.metadata.get("kernel_provisioner")


def _readable(fd: int, timeout: float = 0.0) -> bool:
    return bool(select.select([fd], [], [], timeout)[0])


class ForkedKernel:
    """A kernel forked by the template, with the part of :class:`subprocess.Popen` jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, template: "KernelTemplate", pid: int, pidfd: int, args: list[str]):
        self.template, self.pid, self.args = template, pid, args
        self.pidfd: int | None = pidfd
        self.returncode: int | None = None
        self._lock = threading.Lock()

    def poll(self) -> int | None:
        """None while the kernel runs; its exit status (as Popen's) once it has ended."""
        if self.returncode is not None:
            return self.returncode
        with self._lock:
            if self.returncode is None and self.pidfd is not None and _readable(self.pidfd):
                status = self.template.exit_status(self.pid, STATUS_WAIT_S)
                self.returncode = -signal.SIGKILL if status is None else status
                os.close(self.pidfd)
                self.pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = 0.1 if deadline is None else min(0.1, deadline - time.monotonic())
            if left <= 0:
                raise subprocess.TimeoutExpired(self.args, timeout)
            fd = self.pidfd
            if fd is not None:
                try:
                    _readable(fd, left)
                except (OSError, ValueError):  # closed by poll() in another thread
                    pass
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        """Signal the kernel itself, unless it has ended (through its pidfd: never another process)."""
        with self._lock:
            if self.pidfd is None:
                return
            try:
                signal.pidfd_send_signal(self.pidfd, signum)
            except ProcessLookupError:
                pass

    def signal_group(self, signum: int) -> None:
        """Signal the kernel's process group (the kernel and what it started) while the kernel is not reaped."""
        with self._lock:
            if self.pidfd is None:
                return
            try:
                signal.pidfd_send_signal(self.pidfd, 0)  # raises once the template has reaped it
            except ProcessLookupError:
                return
            try:
                os.killpg(self.pid, signum)
            except OSError:  # the group is gone or not ours: the kernel itself
                try:
                    signal.pidfd_send_signal(self.pidfd, signum)
                except ProcessLookupError:
                    pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class KernelTemplate:
    """The worker's template process: started once, asked for kernels, stopped with the worker."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.ready: bool | None = None  # None until the template said whether it is
        self.info: dict[str, Any] = {}
        self._statuses: dict[int, int] = {}
        self._lock = threading.Lock()
        self._count = 0

    def start(self) -> None:
        """Start the template process (returns at once: it imports while the worker loads its own modules)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen(
                # not -P: the kernels inherit sys.flags (IPython adds '' to sys.path unless safe_path is set)
                [sys.executable, "-m", "xiqu_analysis.runner.kernel_template", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                env=dict(os.environ),  # what jupyter_client passes too (not variables C code set behind it)
            )
            self.sock = ours
        except OSError as exc:
            ours.close()
            self._give_up(f"it could not start: {exc}")
        finally:
            theirs.close()

    @property
    def usable(self) -> bool:
        return self.sock is not None and self.ready is not False

    def _give_up(self, reason: str) -> None:
        if self.ready is not False:
            log.warning("kernel template: %s; kernels start the plain way", reason)
        self.ready = False

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        """One message (exit statuses are kept), or None after ``timeout`` seconds; EOF: the template is gone."""
        if self.sock is None or not _readable(self.sock.fileno(), timeout):
            return None
        try:
            data, fds, _, _ = socket.recv_fds(self.sock, 1 << 16, 1)
        except OSError:
            data, fds = b"", []
        if not data:
            self._give_up("it has ended" if self.ready else "it ended before it was ready")
            self.sock.close()
            self.sock = None
            return None
        message = json.loads(data)
        if fds:
            message["pidfd"] = fds[0]
        if "exited" in message:
            self._statuses[int(message["exited"])] = int(message["status"])
        return message

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while self.ready is None and self.sock is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                self._give_up(f"not ready after {READY_TIMEOUT_S:g} s")
                break
            message = self._receive(left)
            if message is not None and "ready" in message:
                self.info = message
                if message["ready"]:
                    self.ready = True
                    log.info("kernel template ready (pid %s, %s threads)", message.get("pid"),
                             message.get("threads"))
                else:
                    self._give_up(f"not ready: {message.get('reason')}")
        return bool(self.ready)

    def fork(self, cmd: list[str], env: dict[str, str], cwd: str) -> ForkedKernel | None:
        """A kernel forked from the template, or None (the caller starts it the plain way)."""
        with self._lock:
            if not self.usable or not self._wait_ready():
                return None
            self._count += 1
            number = self._count
            try:
                self.sock.send(json.dumps({"start": number, "argv": cmd, "env": env, "cwd": cwd}).encode())
            except OSError as exc:
                self._give_up(f"it has ended ({exc})")
                return None
            deadline = time.monotonic() + READY_TIMEOUT_S
            while self.sock is not None and time.monotonic() < deadline:
                message = self._receive(deadline - time.monotonic())
                if message is None:
                    continue
                if message.get("started") == number and "pidfd" in message:
                    log.info("kernel forked from the template (pid %s)", message["pid"])
                    return ForkedKernel(self, int(message["pid"]), message["pidfd"], cmd)
                if message.get("refused") == number:
                    log.warning("kernel template refused a kernel (%s): it starts the plain way",
                                message.get("reason"))
                    return None
            self._give_up("it did not answer")
            return None

    def exit_status(self, pid: int, timeout: float) -> int | None:
        """The exit status the template reported for kernel ``pid`` (waits up to ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while pid not in self._statuses and self.sock is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._receive(left)
            return self._statuses.pop(pid, None)

    def close(self, timeout: float = 5.0) -> None:
        """Stop the template (it SIGKILLs any kernel it still has) and reap it."""
        with self._lock:
            if self.sock is not None:
                self.sock.close()
                self.sock = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_PROVISIONER: Any = None


def provisioner_class() -> Any:
    """:class:`ForkProvisioner`, defined on first use (jupyter_client is imported only by workers)."""
    global _PROVISIONER
    if _PROVISIONER is None:
        from jupyter_client.provisioning import LocalProvisioner

        class ForkProvisioner(LocalProvisioner):
            """LocalProvisioner whose plain ipykernel kernels are forked from the worker's template.

            The kernel manager's ``xiqu_template`` is the :class:`KernelTemplate`.
            """

            async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
                template = getattr(self.parent, "xiqu_template", None)
                if template is not None and template.usable and is_plain_ipykernel(cmd, kwargs):
                    cwd = str(kwargs.get("cwd") or os.getcwd())
                    env = dict(kwargs.get("env") or os.environ)
                    env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch_kernel sets it
                    proc = template.fork(list(cmd), env, cwd)
                    if proc is not None:
                        self.process, self.pid, self.pgid, self.cwd = proc, proc.pid, proc.pid, cwd
                        return self.connection_info
                return await super().launch_kernel(cmd, **kwargs)

            async def send_signal(self, signum: int) -> None:
                if isinstance(self.process, ForkedKernel):
                    self.process.signal_group(signum)
                    return
                await super().send_signal(signum)

        _PROVISIONER = ForkProvisioner
    return _PROVISIONER
