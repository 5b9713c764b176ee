"""The memory guard: an estimate from the spec alone, and a refusal that names the size and the layer
before anything is allocated."""

import tracemalloc

import numpy as np
import pytest

from nnviz.core import DenseSpec, Network, NetworkSpec, Project, TrainConfig
from nnviz.core import memory
from nnviz.core.datasets import make_toy
from nnviz.core.fileformat import FileFormatError, NetworkFile, load
from nnviz.core.memory import MemoryBudgetError

SMALL = NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")))  # 2*4+4 + 4*1+1 = 17 parameters
# Two 10^5-unit layers: 10^10 weights, 37 GB as float32 (the 200-byte file).
HUGE = NetworkSpec(2, (DenseSpec(100_000, "relu"), DenseSpec(100_000, "relu"), DenseSpec(1, "sigmoid")))
MB = 1024**2


def test_the_estimate_counts_parameters_gradients_optimiser_and_a_batch():
    est = memory.estimate(SMALL, dtype="float32", optimizer="adam", batch_size=10)
    assert est.parts["parameters"] == 17 * 4
    assert est.parts["gradients"] == 17 * 4
    assert est.parts["optimiser state"] == 3 * 17 * 4  # Adam's update, first and second moments
    assert est.parts["a batch's activations"] == memory.TRAINING_ARRAYS * 10 * (2 + 4 + 1) * 4
    assert est.total == sum(est.parts.values())
    assert memory.estimate(SMALL, dtype="float64").parts["parameters"] == 17 * 8
    assert memory.estimate(SMALL, optimizer="sgd").parts["optimiser state"] == 17 * 4


def test_the_estimate_names_the_layer_that_costs_the_most():
    est = memory.estimate(HUGE)
    assert est.layer == 1 and est.layer_units == 100_000
    assert est.parts["parameters"] == (2 * 100_000 + 100_000 + 100_000**2 + 100_000 + 100_000 + 1) * 4


def test_a_network_over_the_budget_is_refused_with_its_size_and_layer():
    with pytest.raises(MemoryBudgetError) as info:
        memory.check(memory.estimate(HUGE), limit=8 * 1024**3)
    text = str(info.value)
    assert "74.5 GB" in text  # parameters and gradients, 37.3 GB each
    assert "8.0 GB" in text
    assert "layer 2 (100,000 units)" in text and "smaller" in text
    assert info.value.layer == 1 and info.value.needed > info.value.budget


def test_a_network_within_the_budget_passes():
    est = memory.estimate(SMALL, optimizer="adam", batch_size=32)
    assert memory.check(est, limit=est.total) is est
    with pytest.raises(MemoryBudgetError):
        memory.check(est, limit=est.total - 1)


def test_the_budget_is_a_share_of_the_machine_and_can_be_set(monkeypatch):
    monkeypatch.delenv(memory.ENV_BUDGET, raising=False)
    total = memory._meminfo()[0] or memory._sysconf_total()
    assert 0 < memory.budget() <= total * memory.SHARE
    monkeypatch.setenv(memory.ENV_BUDGET, "3M")
    assert memory.budget() == 3 * MB
    monkeypatch.setenv(memory.ENV_BUDGET, "12345")
    assert memory.budget() == 12345
    monkeypatch.setenv(memory.ENV_BUDGET, "lots")  # not a size: the machine's share again
    assert memory.budget() != 12345


def test_the_budget_falls_back_when_the_machine_cannot_be_read(monkeypatch):
    monkeypatch.delenv(memory.ENV_BUDGET, raising=False)
    monkeypatch.setattr(memory, "_meminfo", lambda: (None, None))
    monkeypatch.setattr(memory, "_sysconf_total", lambda: None)
    assert memory.budget() <= memory.FALLBACK_BUDGET


@pytest.mark.parametrize("text, value", [("512", 512), ("2K", 2048), ("1.5M", 3 * MB // 2), ("1G", 1024**3),
                                         ("4gb", 4 * 1024**3), ("-1", None), ("", None), ("x", None)])
def test_sizes_read_as_people_write_them(text, value):
    assert memory.parse_bytes(text) == value


def test_opening_a_huge_weightless_file_is_refused_before_anything_is_allocated(tmp_path):
    path = tmp_path / "huge.nnviz"
    path.write_text('{"format": "nnviz", "version": 1, "inputs": 2, "layers": ['
                    '{"type": "dense", "units": 100000, "activation": "relu"}, '
                    '{"type": "dense", "units": 100000, "activation": "relu"}, '
                    '{"type": "dense", "units": 1, "activation": "sigmoid"}]}')
    nf = load(path)
    tracemalloc.start()
    try:
        with pytest.raises(FileFormatError) as info:
            Project.from_file(nf, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * MB
    assert "37.3 GB" in str(info.value) or "74.5 GB" in str(info.value)
    assert "layer 2" in str(info.value)


def test_a_lower_budget_refuses_an_ordinary_network(monkeypatch):
    nf = NetworkFile(spec=SMALL, params=[None] * 2)
    monkeypatch.setenv(memory.ENV_BUDGET, "100")  # bytes: less than 17 parameters and their gradients
    with pytest.raises(FileFormatError, match="more than the 100 B"):
        Project.from_file(nf)
    monkeypatch.setenv(memory.ENV_BUDGET, "1M")
    assert Project.from_file(nf).spec == SMALL


def test_training_that_would_not_fit_is_refused_before_the_trainer_allocates(monkeypatch):
    spec = NetworkSpec(2, (DenseSpec(2000, "relu"), DenseSpec(2000, "relu"), DenseSpec(1, "sigmoid")))
    project = Project(Network(spec), training=TrainConfig(optimizer="adam", batch_size=32))
    built = memory.estimate(spec).total  # about 32 MB: the network and its gradients
    monkeypatch.setenv(memory.ENV_BUDGET, str(built + MB))  # room for the network, not for Adam's buffers
    data = make_toy("circle", 200, 0.0, 0)
    tracemalloc.start()
    try:
        with pytest.raises(MemoryBudgetError, match="training this network needs about") as info:
            project.trainer(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB
    assert "optimiser state" in str(info.value)
    monkeypatch.setenv(memory.ENV_BUDGET, "1G")
    assert project.trainer(data).net is project.network


def test_a_grid_is_predicted_a_chunk_at_a_time_with_the_same_numbers():
    spec = NetworkSpec(2, (DenseSpec(300, "tanh"), DenseSpec(3, "softmax")))
    net = Network(spec, seed=1)
    x = np.random.default_rng(0).normal(size=(1000, 2))
    per_point, _ = memory.grid_cost(spec, 1, net.dtype)
    assert per_point == memory.INFERENCE_ARRAYS * (2 + 300 + 3) * 4
    assert memory.rows_per_chunk(spec, net.dtype, max_bytes=per_point * 64) == 64
    chunked = memory.predict_in_chunks(net, x, max_bytes=per_point * 64)
    np.testing.assert_allclose(chunked, net.predict(x), rtol=1e-6)
    assert chunked.dtype == np.float64


def test_a_chunked_grid_of_a_wide_layer_holds_little_memory():
    spec = NetworkSpec(2, (DenseSpec(20_000, "relu"), DenseSpec(1, "sigmoid")))
    net = Network(spec)
    x = np.random.default_rng(0).normal(size=(10_000, 2))
    whole, _ = memory.grid_cost(spec, len(x), net.dtype)
    assert whole > 1024 * MB  # one pass would hold over a gigabyte of activations
    tracemalloc.start()
    try:
        memory.predict_in_chunks(net, x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * memory.GRID_CHUNK_BYTES
