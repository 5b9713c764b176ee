"""Launching with a relative path remembers the file's real folder, not "."."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

from nnviz.core import DenseSpec, Network, NetworkSpec  # noqa: E402
from nnviz.core.fileformat import NetworkFile, save  # noqa: E402
from nnviz.ui import settings  # noqa: E402


def test_opening_a_relative_path_stores_the_absolute_folder(window, tmp_path, monkeypatch):
    folder = tmp_path / "nets"
    folder.mkdir()
    save(NetworkFile.from_network(Network(NetworkSpec(2, (DenseSpec(1, "sigmoid"),)))), folder / "net.nnviz")
    monkeypatch.chdir(folder)
    assert window.open_file(Path("net.nnviz"), ask=False)
    stored = settings.value("lastFolder", "")
    assert stored == str(folder.resolve())
    assert Path(settings.recent_files()[0]) == (folder / "net.nnviz").resolve()
    monkeypatch.chdir(tmp_path)  # the next dialog opens in the file's folder wherever nnviz now runs
    assert Path(settings.value("lastFolder", "")).is_dir()
    assert Path(settings.value("lastFolder", "")) == folder.resolve()
