"""runner.forked_kernels without a kernel: which kernels are forked, the switch, the template's checks."""
from __future__ import annotations

import sys

import pytest

from xiqu_analysis.runner.forked_kernels import fork_enabled, is_plain_ipykernel, spec_is_plain
from xiqu_analysis.runner.kernel_template import IGNORED_ENV, Template, thread_count

PLAIN = [sys.executable, "-m", "ipykernel_launcher", "-f", "/run/kernel-1.json"]


@pytest.mark.parametrize("value, on", [(None, True), ("1", True), ("yes", True), ("0", False), ("false", False),
                                       (" OFF ", False), ("no", False)])
def test_the_switch(value, on):
    assert fork_enabled({} if value is None else {"XIQU_FORK_KERNELS": value}) is on


def test_only_the_plain_ipykernel_of_this_python_is_forked():
    env = {"env": {}, "cwd": "/tmp", "kernel_id": "k"}
    assert is_plain_ipykernel(PLAIN, env)
    assert is_plain_ipykernel([*PLAIN, "--HistoryManager.hist_file=:memory:"], env)
    assert not is_plain_ipykernel(["python3", *PLAIN[1:]], env)  # another python (jupyter_client resolves "python")
    assert not is_plain_ipykernel(["/usr/bin/python3", *PLAIN[1:]], env)
    assert not is_plain_ipykernel([sys.executable, "/tmp/flaky.py", "-f", "/run/kernel-1.json"], env)
    assert not is_plain_ipykernel([sys.executable, "-m", "ipykernel", "-f", "x"], env)
    assert not is_plain_ipykernel(PLAIN, dict(env, stdout=1))  # a stream of its own: Popen's business
    assert not is_plain_ipykernel(PLAIN, dict(env, independent=True))
    assert not is_plain_ipykernel(PLAIN, dict(env, preexec_fn=print))


def test_the_template_refuses_another_environment(monkeypatch):
    monkeypatch.setenv("XIQU_SOME_SETTING", "a")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    template = Template(sock=None, own_mplbackend=False)  # the socket is not used here
    same = dict(template.env, JPY_PARENT_PID="1", JPY_SESSION_NAME="s")
    assert set(IGNORED_ENV) == {"JPY_PARENT_PID", "JPY_SESSION_NAME"}
    assert template.differences(same) == []
    assert template.differences(dict(same, XIQU_SOME_SETTING="b")) == ["XIQU_SOME_SETTING"]
    assert template.differences({k: v for k, v in same.items() if k != "XIQU_SOME_SETTING"}) == ["XIQU_SOME_SETTING"]
    assert template.differences(dict(same, MPLBACKEND="agg")) == ["MPLBACKEND"]


def test_thread_count_reads_this_process():
    import threading

    before = thread_count()
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert thread_count() == before + 1
    finally:
        stop.set()
        t.join()


def test_a_template_is_started_only_for_the_plain_kernel_spec(tmp_path, monkeypatch):
    """python3 of this environment is forked; a spec of another program or Python is not (no template)."""
    import json

    kdir = tmp_path / "jupyter" / "kernels"
    for name, argv in (("flaky", [sys.executable, "/x/flaky.py", "-f", "{connection_file}"]),
                       ("other", ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"])):
        (kdir / name).mkdir(parents=True)
        (kdir / name / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": name, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    assert spec_is_plain("python3")
    assert not spec_is_plain("flaky") and not spec_is_plain("other") and not spec_is_plain("no-such-kernel")
