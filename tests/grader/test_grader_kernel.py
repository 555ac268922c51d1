"""The grading kernel records what a Jupyter kernel would: the same output shapes, counts and
errors, so nbgrader grades and feedback read the same as with ipykernel."""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from grader.execute import execute_notebook, kernel_env
from grader.kernel import OUTPUT_LIMIT, KernelDied, Zygote, notebook_imports

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    home = tmp_path_factory.mktemp("zygote")
    with Zygote(env=kernel_env(str(home)), home=str(home)) as z:
        yield z


@pytest.fixture()
def kernel(zygote, tmp_path):
    k = zygote.kernel(str(tmp_path), kernel_env(str(tmp_path), "ann"))
    yield k
    k.kill()


def run(kernel, code, record=True, timeout=30):
    reply = kernel.request(("run", code, record), timeout)
    assert reply is not None and reply[0] == "done", reply
    return reply[1], reply[2], reply[3]


def test_prints_are_one_stream_output_per_stream(kernel):
    outputs, _count, ok = run(kernel, "print('a')\nprint('b')\nimport sys\nprint('e', file=sys.stderr)")
    assert ok
    assert outputs == [
        {"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
        {"output_type": "stream", "name": "stderr", "text": "e\n"},
    ]


def test_last_expression_is_an_execute_result_with_the_cell_count(kernel):
    _o, first, _ok = run(kernel, "x = 1")
    outputs, count, _ok = run(kernel, "x + 41")
    assert count == first + 1
    assert outputs == [
        {"output_type": "execute_result", "data": {"text/plain": "42"}, "metadata": {},
         "execution_count": count}
    ]


def test_silent_runs_neither_count_nor_show_results(kernel):
    _o, before, _ok = run(kernel, "y = 2")
    outputs, count, _ok = run(kernel, "y", record=False)
    assert (outputs, count) == ([], None)
    _o, after, _ok = run(kernel, "y")
    assert after == before + 1


def test_display_sends_rich_display_data(kernel):
    outputs, _c, _ok = run(kernel, "from IPython.display import display, HTML\ndisplay(HTML('<b>hi</b>'))")
    assert outputs[0]["output_type"] == "display_data"
    assert outputs[0]["data"]["text/html"] == "<b>hi</b>"


def test_errors_carry_name_value_and_traceback(kernel):
    outputs, _c, ok = run(kernel, "def f():\n    raise ValueError('bad cidr')\nf()")
    assert not ok
    (err,) = outputs
    assert (err["output_type"], err["ename"], err["evalue"]) == ("error", "ValueError", "bad cidr")
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(err["traceback"]))  # colours as ipykernel's
    assert "raise ValueError('bad cidr')" in text and "ValueError: bad cidr" in text


def test_syntax_errors_are_errors_too(kernel):
    outputs, _c, ok = run(kernel, "def (:")
    assert not ok and outputs[-1]["ename"] == "SyntaxError"


def test_output_of_subprocesses_is_captured(kernel):
    outputs, _c, _ok = run(kernel, "import os\nos.system('echo from-a-shell')")
    assert "from-a-shell" in "".join(o.get("text", "") for o in outputs)


def test_a_print_loop_is_cut_at_the_output_limit(kernel):
    outputs, _c, _ok = run(kernel, f"for _ in range({OUTPUT_LIMIT // 10 * 3}):\n    print('x' * 9)")
    text = outputs[0]["text"]
    assert len(text) < OUTPUT_LIMIT + 100 and text.endswith("[output truncated by the grader]\n")


def test_each_kernel_starts_clean_and_in_its_folder(zygote, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = zygote.kernel(str(tmp_path / "a"), kernel_env(str(tmp_path / "a"), "ann"))
    run(first, "leftover = 1")
    first.kill()
    second = zygote.kernel(str(tmp_path / "b"), kernel_env(str(tmp_path / "b"), "ben"))
    try:
        outputs, _c, ok = run(second, "import os, awskit\nprint(os.getcwd(), awskit.variant()['student_id'])\nleftover")
        assert not ok and outputs[-1]["ename"] == "NameError"
        assert outputs[0]["text"].split() == [os.path.realpath(tmp_path / "b"), "ben"]
    finally:
        second.kill()


def test_guard_restores_patched_awskit_helpers(kernel):
    run(kernel, "import awskit.testing\nawskit.testing.assert_reachable = None")
    assert kernel.request(("guard", "restore"), 30) == ("ok",)
    outputs, _c, _ok = run(kernel, "import awskit.testing\nprint(callable(awskit.testing.assert_reachable))")
    assert outputs[0]["text"] == "True\n"


def test_interrupt_stops_a_busy_cell_and_the_kernel_lives_on(kernel):
    assert kernel.request(("run", "while True:\n    pass", True), 0.5) is None
    kernel.interrupt()
    reply = kernel.request(None, 5)
    assert reply[1][-1]["ename"] == "KeyboardInterrupt"
    outputs, _c, ok = run(kernel, "print('alive')")
    assert ok and outputs[0]["text"] == "alive\n"


def test_a_kernel_that_exits_is_reported_dead(kernel):
    with pytest.raises(KernelDied):
        kernel.request(("run", "import os\nos._exit(3)", True), 10)


def test_execute_notebook_fills_outputs_and_counts(zygote, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# title"),
        nbformat.v4.new_code_cell("a = 20"),
        nbformat.v4.new_code_cell("a * 2"),
    ])
    stats = execute_notebook(nb, zygote=zygote, workdir=str(tmp_path), student="ann")
    assert (stats.cell_timeouts, stats.kernel_deaths, stats.restarts) == (0, 0, 0)
    assert nb.cells[2].outputs[0]["data"]["text/plain"] == "40"
    assert [c.execution_count for c in nb.cells[1:]] == [1, 2]
    nbformat.validate(nb)


def test_notebook_imports_lists_what_cells_import():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import awskit\nfrom awskit.testing import assert_reachable\nimport pandas as pd"),
        nbformat.v4.new_code_cell("from . import nothing\ndef ("),
    ])
    assert notebook_imports(nb) == ["awskit", "awskit.testing", "pandas"]


# -- the jail, both ways: as root (an unprivileged user) and in a user namespace ---------------
PROBE = """
import errno, os, socket
def attempt(fn):
    try:
        fn()
        return 'yes'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e))
print('secret', attempt(lambda: open({secret!r}).read()))
print('write-outside', attempt(lambda: open({outside!r}, 'w').write('x')))
print('write-own', attempt(lambda: open('mine.txt', 'w').write('x')))
print('net', attempt(lambda: socket.create_connection(('127.0.0.1', 9), timeout=1)))
print('caps', [l.split()[1] for l in open('/proc/self/status') if l.startswith('CapEff')][0])
print('pids', len([p for p in os.listdir('/proc') if p.isdigit()]))
import json, pandas  # packages of the venv still import
print('imports', 'yes')
"""


@pytest.fixture(scope="module", params=["root", "userns"])
def jailed(request, tmp_path_factory):
    from grader import sandbox

    if sandbox.problem() is not None:
        pytest.skip(sandbox.problem())
    if request.param == "root" and sandbox.mode() != "root":
        pytest.skip("the grader is not root here")
    if request.param == "userns" and not sandbox._probe(True):
        pytest.skip("unprivileged user namespaces are disabled here")
    base = tmp_path_factory.mktemp(f"jail-{request.param}")
    os.chmod(base, 0o700)
    home, scratch = base / "zygote", base / "scratch"
    home.mkdir()
    scratch.mkdir()
    if request.param == "root":
        uid, gid = sandbox.sandbox_ids()
        spec = {"scratch": str(scratch), "uid": uid, "gid": gid}
    else:
        uid, gid = os.getuid(), os.getgid()
        spec = {"scratch": str(scratch), "uid": uid, "gid": gid, "userns": True}
    (base / "secret.txt").write_text("hidden tests")
    with Zygote(env=kernel_env(str(home)), home=str(home), jail=spec) as z:
        yield z, base, (uid, gid)


def _probe_in_jail(jailed):
    z, base, owner = jailed
    work = base / f"work{len(list(base.glob('work*')))}"
    work.mkdir()
    os.chown(work, *owner)
    k = z.kernel(str(work), kernel_env(str(work), "ann"))
    try:
        outputs, _c, ok = run(k, PROBE.format(secret=str(base / "secret.txt"),
                                              outside=str(base / "outside.txt")))
    finally:
        k.kill()
    assert ok, outputs
    lines = dict(line.split(" ", 1) for line in outputs[0]["text"].splitlines())
    return lines, work


def test_jailed_code_sees_nothing_outside_its_folder(jailed):
    lines, work = _probe_in_jail(jailed)
    assert lines["secret"] == "ENOENT"  # not denied: not there at all
    assert lines["write-outside"] in ("ENOENT", "EROFS", "EACCES")
    assert not (jailed[1] / "outside.txt").exists()
    assert lines["write-own"] == "yes" and (work / "mine.txt").read_text() == "x"


def test_jailed_code_has_no_network_no_capabilities_and_sees_only_its_processes(jailed):
    lines, _work = _probe_in_jail(jailed)
    assert lines["net"] == "ENETUNREACH"
    assert int(lines["caps"], 16) == 0
    assert int(lines["pids"]) <= 2
    assert lines["imports"] == "yes"


def test_clear_output_clears_now_or_when_the_next_output_comes(kernel):
    outputs, _c, _ok = run(kernel, "from IPython.display import clear_output\nprint('old')\nclear_output()\nprint('new')")
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "new\n"}]
    outputs, _c, _ok = run(kernel, "print('old')\nclear_output(wait=True)\nprint('new')")
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "new\n"}]
    outputs, _c, _ok = run(kernel, "print('kept')\nclear_output(wait=True)")
    assert outputs == [{"output_type": "stream", "name": "stdout", "text": "kept\n"}]
