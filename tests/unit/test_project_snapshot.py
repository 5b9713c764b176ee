"""Project.snapshot: what Save would write, on copies of its own (the window's autosave writes it in a thread
while a run goes on changing the project), without moving the project's path."""

import numpy as np

from nnviz.core.fileformat import NetworkFile, save, load
from nnviz.core.project import DatasetRecord, Project
from nnviz.core.spec import DenseSpec, NetworkSpec


def project_in(folder) -> Project:
    spec = NetworkSpec(2, (DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid")))
    p = Project.from_file(NetworkFile(spec=spec, params=[None, None]), folder / "net.nnviz")
    p.dataset = DatasetRecord("data", path="data.csv")  # relative to the file's folder
    p.history.append(1, 0.5, None, None, None)
    p.keyframes.add(1, np.zeros(13, dtype=np.float32))
    p.save_timeline = True
    return p


def test_a_snapshot_is_not_changed_by_what_happens_to_the_project_after(tmp_path):
    p = project_in(tmp_path)
    nf = p.snapshot(tmp_path / "elsewhere")
    before = p.network.copy_params()[0]["weights"]
    p.network.params += 1  # the run goes on, in place
    p.history.append(2, 0.4, None, None, None)
    p.keyframes.add(2, np.ones(13, dtype=np.float32))
    assert len(nf.history) == 1 and nf.timeline.epochs == [1]
    assert np.array_equal(nf.params[0]["weights"], before)
    assert not np.array_equal(nf.params[0]["weights"], p.network.copy_params()[0]["weights"])


def test_a_snapshot_for_another_folder_finds_the_data_and_leaves_the_path(tmp_path):
    p = project_in(tmp_path)
    nf = p.snapshot(tmp_path / "autosave")
    assert nf.dataset["path"] == str((tmp_path / "data.csv").resolve())
    assert p.path == tmp_path / "net.nnviz" and p.dataset.path == "data.csv"
    (tmp_path / "autosave").mkdir()
    save(nf, tmp_path / "autosave" / "copy.nnviz")  # the normal writer takes it, and it reads back
    back = load(tmp_path / "autosave" / "copy.nnviz")
    assert back.spec == p.spec and len(back.history) == 1 and back.timeline.epochs == [1]
