"""The timeline's keyframes: every epoch while they fit, evenly spaced out when they would not."""

import numpy as np

from nnviz.core.keyframes import Keyframes


def state(epoch, size=100):
    return np.full(size, float(epoch), dtype=np.float32)  # 400 bytes


def test_every_epoch_is_kept_while_it_fits():
    kf = Keyframes(cap=10_000)
    for epoch in range(20):
        assert not kf.add(epoch, state(epoch))
    assert kf.epochs == list(range(20)) and kf.every == 1
    assert kf.nbytes == 20 * 400
    np.testing.assert_array_equal(kf.state(7), state(7))


def test_a_full_timeline_keeps_every_other_epoch_then_every_fourth():
    kf = Keyframes(cap=10_000)  # 25 keyframes of 400 bytes
    grew = [kf.add(epoch, state(epoch)) for epoch in range(200)]
    assert any(grew)  # the process was told to keep fewer
    assert kf.nbytes <= 10_000
    epochs = kf.epochs
    assert epochs[0] == 0 and epochs[-1] == 199  # the start and the newest stay
    inner = epochs[1:-1]
    assert all(e % kf.every == 0 for e in inner) and kf.every >= 8
    assert np.diff(inner).max() == kf.every  # evenly spaced
    for e in epochs:
        np.testing.assert_array_equal(kf.state(e), state(e))  # exactly the kept weights


def test_nearest_truncate_and_clear():
    kf = Keyframes()
    for epoch in (0, 2, 4, 6):
        kf.add(epoch, state(epoch))
    assert kf.nearest(3.2) == 4 and kf.nearest(3) == 2 and kf.nearest(100) == 6
    kf.truncate(4)
    assert kf.epochs == [0, 2, 4]
    kf.clear()
    assert len(kf) == 0 and kf.nearest(1) is None and kf.every == 1


# -- in the file ------------------------------------------------------------------------

import json  # noqa: E402

import pytest  # noqa: E402

from nnviz.core import DenseSpec, Network, NetworkSpec  # noqa: E402
from nnviz.core.fileformat import FileFormatError, dumps, loads  # noqa: E402
from nnviz.core.keyframes import load_state, spec_state_size, state_size, state_vector  # noqa: E402
from nnviz.core.project import Project  # noqa: E402
from nnviz.core.spec import BatchNormSpec  # noqa: E402
from nnviz.core.training import History  # noqa: E402

SPEC = NetworkSpec(2, (DenseSpec(3, "relu"), BatchNormSpec(), DenseSpec(1, "sigmoid")))


def project_with_timeline():
    project = Project(Network(SPEC, seed=1))
    for epoch in range(1, 4):
        project.history.append(epoch, 1.0 / epoch, None, None, None)
    for epoch in range(4):
        net = Network(SPEC, seed=epoch + 10)
        project.keyframes.add(epoch, state_vector(net), None if epoch == 0 else 1.0 / epoch)
    return project


def test_a_state_vector_round_trips_and_its_size_is_known_from_the_spec():
    net = Network(SPEC, seed=3)
    net.layers[1].running_mean[:] = [0.5, -1.0, 2.0]
    other = Network(SPEC, seed=4)
    load_state(other, state_vector(net))
    np.testing.assert_array_equal(other.params, net.params)
    np.testing.assert_array_equal(other.layers[1].running_mean, net.layers[1].running_mean)
    assert spec_state_size(SPEC) == state_size(net) == len(state_vector(net))


def test_the_timeline_is_saved_only_on_request_and_read_back_exactly(tmp_path):
    project = project_with_timeline()
    project.save(tmp_path / "plain.nnviz")
    assert "timeline" not in json.loads((tmp_path / "plain.nnviz").read_text())
    assert len(Project.load(tmp_path / "plain.nnviz").keyframes) == 0

    project.save_timeline = True
    project.save(tmp_path / "kept.nnviz")
    again = Project.load(tmp_path / "kept.nnviz")
    assert again.save_timeline and again.keyframes.epochs == [0, 1, 2, 3]
    for epoch in range(4):
        np.testing.assert_array_equal(again.keyframes.state(epoch).astype(np.float32),
                                      project.keyframes.state(epoch).astype(np.float32))
        assert again.keyframes.tag(epoch) == project.keyframes.tag(epoch)  # tied to the history's rows
    size = (tmp_path / "kept.nnviz").stat().st_size - (tmp_path / "plain.nnviz").stat().st_size
    assert 0.3 * project.timeline_bytes() <= size <= 2 * project.timeline_bytes()  # the size the window states


@pytest.mark.parametrize("timeline, where", [
    ({"every": 0, "epochs": [], "states": []}, "timeline.every"),
    ({"every": 1, "epochs": [2, 1], "states": [[], []]}, "timeline.epochs"),
    ({"every": 1, "epochs": [1], "states": []}, "timeline.states"),
    ({"every": 1, "epochs": [1], "states": [[1.0, 2.0]]}, "timeline.states[0]"),
    ({"every": 1, "epochs": [1]}, "timeline"),
])
def test_a_broken_timeline_is_named(timeline, where):
    doc = json.loads(dumps(project_with_timeline().to_file()))
    doc["timeline"] = timeline
    with pytest.raises(FileFormatError) as err:
        loads(json.dumps(doc))
    assert err.value.where == where


def test_history_rows_tag_the_keyframes_read_from_a_file():
    project = project_with_timeline()
    project.save_timeline = True
    nf = loads(dumps(project.to_file()))
    assert [nf.timeline.tag(e) for e in nf.timeline.epochs] == [None, 1.0, 0.5, pytest.approx(1 / 3)]
    assert isinstance(nf.history, History)
