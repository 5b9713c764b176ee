"""Toy datasets, shipped tables and the Dataset container (loading by record: test_project.py)."""

import numpy as np
import pytest

from nnviz.core.datasets import (
    REAL_DATASETS, TOY_DATASETS, Dataset, DatasetError, Standardization, dataset_names,
    resource_path, load_real, make_toy,
)

CLASSIFIERS = [n for n, spec in TOY_DATASETS.items() if spec.task == "classification"]
REGRESSORS = [n for n, spec in TOY_DATASETS.items() if spec.task == "regression"]


def test_the_promised_names_exist():
    assert set(CLASSIFIERS) == {"circle", "xor", "gaussian", "spiral", "moons"}
    assert set(REGRESSORS) == {"plane", "multi_gaussian"}
    assert {"iris", "wine"} <= set(REAL_DATASETS)
    assert dataset_names() == [*TOY_DATASETS, *REAL_DATASETS]


@pytest.mark.parametrize("name", list(TOY_DATASETS))
@pytest.mark.parametrize("noise", [0.0, 0.5, 1.0])
def test_toy_shapes_and_range(name, noise):
    d = make_toy(name, n_samples=301, noise=noise, seed=3)
    assert d.x.shape == (301, 2) and d.y.shape == (301, 1)
    assert d.x.dtype == np.float64 and d.y.dtype == np.float64
    assert d.feature_names == ["x1", "x2"] and d.name == name
    assert np.all(np.isfinite(d.x)) and np.all(np.isfinite(d.y))
    # Playground-like coordinates: the bulk of every set within [-6, 6]
    # (noise above Playground's 0.5 may spread the Gaussian blobs further).
    assert np.mean(np.abs(d.x) <= 6.0) > (0.95 if noise <= 0.5 else 0.85)
    assert d.standardization is None


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_toy_classification_labels_are_binary_and_balanced(name):
    d = make_toy(name, n_samples=400, noise=0.0, seed=1)
    assert set(np.unique(d.y)) == {0.0, 1.0}
    assert d.task == "classification" and d.n_classes == 2 and d.n_outputs == 1
    assert d.target_names == ["0", "1"]
    assert 150 <= d.y.sum() <= 250  # Playground puts half the points in each class
    np.testing.assert_array_equal(d.class_labels(), d.y[:, 0].astype(int))


@pytest.mark.parametrize("name", REGRESSORS)
def test_toy_regression_targets(name):
    d = make_toy(name, n_samples=400, seed=1)
    assert d.task == "regression" and d.n_classes is None
    assert np.all(np.abs(d.y) <= 1.2 + 1e-12) and np.std(d.y) > 0.1


def test_plane_without_noise_is_exact():
    d = make_toy("plane", n_samples=50)
    np.testing.assert_allclose(d.y[:, 0], d.x.sum(axis=1) / 10)


def test_circle_without_noise_separates_by_radius():
    d = make_toy("circle", n_samples=500)
    r = np.hypot(d.x[:, 0], d.x[:, 1])
    assert np.all(r[d.y[:, 0] == 1] <= 2.5) and np.all(r[d.y[:, 0] == 0] >= 3.5)


def test_noise_blurs_labels():
    clean = make_toy("xor", n_samples=2000, seed=4)
    noisy = make_toy("xor", n_samples=2000, noise=0.5, seed=4)
    sign = lambda d: (d.x[:, 0] * d.x[:, 1] >= 0).astype(float)
    assert np.all(clean.y[:, 0] == sign(clean))
    assert np.mean(noisy.y[:, 0] != sign(noisy)) > 0.05


@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_toy_same_seed_same_arrays_other_seed_differs(name):
    a, b = make_toy(name, 200, 0.2, seed=7), make_toy(name, 200, 0.2, seed=7)
    c = make_toy(name, 200, 0.2, seed=8)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)


@pytest.mark.parametrize("kwargs, words", [
    (dict(name="donut"), ["donut", "circle", "spiral", "multi_gaussian"]),
    (dict(name="xor", n_samples=3), ["4", "1,000,000", "3"]),
    (dict(name="xor", n_samples=1_000_001), ["4", "1,000,000"]),
    (dict(name="xor", n_samples=10.5), ["whole number"]),
    (dict(name="xor", noise=-0.1), ["between 0 and 1", "-0.1"]),
    (dict(name="xor", noise=1.5), ["between 0 and 1", "1.5"]),
    (dict(name="xor", noise=float("nan")), ["between 0 and 1"]),
])
def test_toy_bad_arguments_explain_the_valid_choices(kwargs, words):
    with pytest.raises(DatasetError) as info:
        make_toy(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_toy_limits_are_inclusive():
    assert make_toy("gaussian", n_samples=4, noise=1.0).n_samples == 4


# ------------------------------------------------------------------ split

def test_split_sizes_disjoint_and_complete():
    d = make_toy("spiral", n_samples=100, seed=0)
    train, val = d.split(0.2, seed=5)
    assert (train.n_samples, val.n_samples) == (80, 20)
    rows = lambda part: {tuple(r) for r in part.x}
    assert not rows(train) & rows(val)
    assert rows(train) | rows(val) == rows(d)
    assert train.target_names == d.target_names and val.task == d.task


def test_split_is_reproducible_and_seed_dependent():
    d = make_toy("moons", n_samples=100, noise=0.1)
    a, b, c = d.split(0.3, seed=1), d.split(0.3, seed=1), d.split(0.3, seed=2)
    np.testing.assert_array_equal(a[1].x, b[1].x)
    assert not np.array_equal(a[1].x, c[1].x)


def test_split_zero_keeps_everything_for_training():
    d = load_real("iris")
    train, val = d.split(0.0, seed=0)
    assert train is d
    assert val.x.shape == (0, 4) and val.y.shape == (0, 3) and val.n_samples == 0
    assert val.standardization is d.standardization


@pytest.mark.parametrize("fraction", [-0.1, 0.95, float("nan")])
def test_split_rejects_fraction_outside_range(fraction):
    with pytest.raises(DatasetError, match="between 0 and 0.9"):
        make_toy("xor").split(fraction, seed=0)


def test_split_that_leaves_no_training_rows_is_refused():
    one_row = make_toy("xor", n_samples=4).subset(np.arange(1))
    with pytest.raises(DatasetError, match="none for training"):
        one_row.split(0.9, seed=0)


# ------------------------------------------------------- Dataset, Standardization

def test_class_labels_for_one_hot_and_refused_for_regression():
    d = Dataset("t", np.zeros((3, 1)), np.eye(3)[[2, 0, 1]], "classification", ["a"], ["p", "q", "r"])
    np.testing.assert_array_equal(d.class_labels(), [2, 0, 1])
    assert d.n_classes == 3
    with pytest.raises(ValueError):
        make_toy("plane").class_labels()


def test_standardization_maps_constant_columns_to_zero():
    x = np.column_stack([np.arange(5.0), np.full(5, 0.1)])
    s = Standardization.fit(x)
    z = s.apply(x)
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z[:, 0].std(), 1)
    assert s.std[1] == 1.0 and np.all(z[:, 1] == 0)
    np.testing.assert_allclose(s.apply(x[0]), z[0])


# ----------------------------------------------------------- shipped tables

def test_iris_counts():
    d = load_real("iris")
    assert d.x.shape == (150, 4) and d.y.shape == (150, 3)
    assert d.target_names == ["setosa", "versicolor", "virginica"]
    assert d.feature_names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    np.testing.assert_array_equal(np.bincount(d.class_labels()), [50, 50, 50])


def test_wine_counts():
    d = load_real("wine")
    assert d.x.shape == (178, 13) and d.n_classes == 3
    np.testing.assert_array_equal(np.bincount(d.class_labels()), [59, 71, 48])


def test_digits_counts():
    d = load_real("digits", standardize=False)
    assert d.x.shape == (1797, 64) and d.n_classes == 10
    assert d.target_names == [str(k) for k in range(10)]
    assert d.x.min() == 0 and d.x.max() == 16
    assert np.bincount(d.class_labels()).min() >= 174


def test_real_datasets_are_standardised_unless_asked_not_to():
    z = load_real("iris")
    np.testing.assert_allclose(z.x.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z.x.std(axis=0), 1)
    raw = load_real("iris", standardize=False)
    assert raw.standardization is None
    np.testing.assert_allclose(raw.x[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_allclose(z.standardization.apply(raw.x), z.x)


def test_every_shipped_dataset_loads_and_is_documented():
    readme = resource_path("README.md").read_text(encoding="utf-8")
    for name in REAL_DATASETS:
        assert load_real(name).n_samples > 0
        assert f"## {name}.csv" in readme


def test_unknown_real_dataset_lists_the_names():
    with pytest.raises(DatasetError, match="iris, wine"):
        load_real("titanic")
