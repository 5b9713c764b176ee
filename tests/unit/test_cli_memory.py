"""The command line and networks too big for memory: `info` describes them without building them; the
other commands refuse them in one line (exit 2) before allocating, and nothing is written."""

import os
import subprocess
import sys
import tracemalloc

import pytest

from nnviz import cli
from nnviz.core import DenseSpec, Network, NetworkSpec, memory
from nnviz.core.fileformat import NetworkFile, save

# The 200-byte file: two 10^5-unit layers, no weights (10^10 parameters, 37 GB as float32).
HUGE = ('{"format": "nnviz", "version": 1, "inputs": 2, "layers": ['
        '{"type": "dense", "units": 100000, "activation": "relu"}, '
        '{"type": "dense", "units": 100000, "activation": "relu"}, '
        '{"type": "dense", "units": 1, "activation": "sigmoid"}], "dataset": {"name": "circle"}}')
MB = 1024**2


def nnviz(*args, env=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")} | (env or {})
    code = "import sys; from nnviz.__main__ import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def huge_file(tmp_path):
    path = tmp_path / "huge.nnviz"
    path.write_text(HUGE)
    assert path.stat().st_size < 300
    return path


def test_info_describes_a_huge_network_without_allocating_it(huge_file, capsys):
    cli.main(["info", str(huge_file)])  # once, so that imports and caches are not counted below
    capsys.readouterr()
    tracemalloc.start()
    try:
        status = cli.main(["info", str(huge_file)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    out = capsys.readouterr().out
    assert status == 0
    assert peak < 4 * MB  # the network would be 37 GB
    assert "10,000,500,001" in out and "37.3 GB as float32" in out


def test_info_runs_as_a_command_too(huge_file):
    proc = nnviz("info", str(huge_file), "--json")
    assert proc.returncode == 0, proc.stderr
    assert '"params": 10000500001' in proc.stdout


@pytest.mark.parametrize("args", [["predict", "--input", "1,2"], ["train", "--epochs", "1"], ["export", "-o", "{out}.png"]])
def test_commands_that_need_the_network_refuse_it_in_one_line(huge_file, tmp_path, args):
    args = [a.replace("{out}", str(tmp_path / "picture")) for a in args]
    before = huge_file.read_bytes()
    proc = nnviz(args[0], str(huge_file), *args[1:])
    assert_one_line_error(proc, "huge.nnviz", "GB", "layer 2 (100,000 units)", "smaller")
    assert huge_file.read_bytes() == before
    assert not (tmp_path / "picture.png").exists()


def test_train_refuses_a_run_that_does_not_fit_and_writes_nothing(tmp_path):
    spec = NetworkSpec(2, (DenseSpec(1000, "relu"), DenseSpec(1000, "relu"), DenseSpec(1, "sigmoid")))
    path = tmp_path / "wide.nnviz"
    save(NetworkFile.from_network(Network(spec)), path)
    before = path.read_bytes()
    built = memory.estimate(spec).total  # the network and its gradients, about 8 MB
    proc = nnviz("train", str(path), "--dataset", "circle", "--epochs", "1", "--optimizer", "adam",
                 env={memory.ENV_BUDGET: str(built + MB)})
    assert_one_line_error(proc, "training this network needs about", "optimiser state", "nothing was written")
    assert path.read_bytes() == before


def test_running_out_of_memory_anyway_is_one_line_and_exit_2(monkeypatch, capsys, huge_file):
    def no_memory(*_args, **_kwargs):
        raise MemoryError

    monkeypatch.setattr(cli.Project, "load", no_memory)
    assert cli.main(["predict", str(huge_file), "--input", "1,2"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "out of memory" in err[0]
