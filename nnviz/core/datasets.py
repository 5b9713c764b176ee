"""Datasets: TensorFlow Playground's toy sets, shipped tables and the common container.

A :class:`Dataset` holds inputs ``x`` (n, features) and targets ``y`` (n, k),
both float64. Classification targets are 0/1 in one column for two classes and
one-hot for more; regression targets are the values themselves.

Toy inputs lie in about [-6, 6] on both axes, as in Playground, and are not
standardised: the decision-boundary plots show them in those coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .i18n import QT_TRANSLATE_NOOP

CLASSIFICATION = "classification"
REGRESSION = "regression"
MIN_SAMPLES = 4
MAX_SAMPLES = 1_000_000
MAX_VAL_FRACTION = 0.9


class DatasetError(ValueError):
    """A user-caused data problem; str() says what is wrong and what to do."""


@dataclass(eq=False)
class Standardization:
    """Per-feature shift and scale that maps training inputs to mean 0, std 1."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Standardization:
        """Measure the mean and std of each column of ``x`` (n >= 1 rows).

        Constant columns get std 1.0 so they map to 0 instead of dividing by zero.
        """
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] == 0:
            raise ValueError(f"need a 2-D array with at least one row, got shape {x.shape}")
        std = x.std(axis=0)
        # ptp, not std == 0: a constant column of e.g. 0.1 can have std ~1e-17
        # from rounding, and dividing by that would blow it up into noise.
        std[np.ptp(x, axis=0) == 0] = 1.0
        return cls(mean=x.mean(axis=0), std=std)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """Return ``(x - mean) / std``; ``x`` is (n, features) or one row (features,)."""
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std


@dataclass(eq=False)
class Dataset:
    """Inputs, targets and what they mean. See the module docstring for ``y``."""

    name: str
    x: np.ndarray
    y: np.ndarray
    task: str
    feature_names: list[str]
    target_names: list[str]
    standardization: Standardization | None = None

    def __post_init__(self):
        self.x = np.asarray(self.x, dtype=np.float64)
        self.y = np.asarray(self.y, dtype=np.float64)
        if self.y.ndim == 1:
            self.y = self.y[:, None]
        if self.task not in (CLASSIFICATION, REGRESSION):
            raise ValueError(f"task must be {CLASSIFICATION!r} or {REGRESSION!r}, got {self.task!r}")
        if self.x.ndim != 2 or self.y.ndim != 2 or len(self.x) != len(self.y):
            raise ValueError(f"x {self.x.shape} and y {self.y.shape} must be 2-D with the same rows")
        if len(self.feature_names) != self.x.shape[1]:
            raise ValueError(f"{len(self.feature_names)} feature names for {self.x.shape[1]} columns")

    @property
    def n_samples(self) -> int:
        """Number of rows."""
        return self.x.shape[0]

    @property
    def n_features(self) -> int:
        """Number of input columns."""
        return self.x.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of target columns (1 for binary classification)."""
        return self.y.shape[1]

    @property
    def n_classes(self) -> int | None:
        """Number of classes for classification, None for regression."""
        return max(2, self.n_outputs) if self.task == CLASSIFICATION else None

    def class_labels(self) -> np.ndarray:
        """Class index (int) of every row; classification only."""
        if self.task != CLASSIFICATION:
            raise ValueError(f"{self.name} is a regression dataset and has no classes")
        if self.n_outputs == 1:
            return (self.y[:, 0] > 0.5).astype(np.int64)
        return self.y.argmax(axis=1)

    def subset(self, rows: np.ndarray) -> Dataset:
        """The rows ``rows`` (indices or a mask) as a new dataset with the same metadata."""
        return Dataset(self.name, self.x[rows], self.y[rows], self.task,
                       list(self.feature_names), list(self.target_names), self.standardization)

    def split(self, val_fraction: float, seed: int) -> tuple[Dataset, Dataset]:
        """Shuffle with ``seed`` and cut into (train, validation).

        The validation part has ``round(n * val_fraction)`` rows; 0 gives
        ``(self, <dataset with 0 rows>)``. The same seed gives the same split.
        """
        train, val = self.split_rows(val_fraction, seed)
        if not len(val):
            return self, self.subset(val)
        return self.subset(train), self.subset(val)

    def split_rows(self, val_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """The row indices of :meth:`split`'s (train, validation); raises :class:`DatasetError` as it does."""
        if not 0.0 <= val_fraction <= MAX_VAL_FRACTION:  # also rejects NaN
            raise DatasetError(f"the validation fraction must be between 0 and {MAX_VAL_FRACTION}, "
                               f"not {val_fraction}; choose a value in that range.")
        n_val = round(self.n_samples * val_fraction)
        if n_val >= self.n_samples:
            raise DatasetError(f"holding out {val_fraction:.0%} of {self.n_samples} rows for validation "
                               "leaves none for training; use more data or a smaller fraction.")
        if n_val == 0:
            return np.arange(self.n_samples), np.arange(0)
        order = np.random.default_rng(seed).permutation(self.n_samples)
        return order[n_val:], order[:n_val]


# ---------------------------------------------------------------- toy datasets
# Generators follow TensorFlow Playground's dataset.ts (labels +1/-1 become 1/0).
# Where Playground draws label noise, the stored point stays put and only its
# label is decided at a jittered position, so noise blurs the class boundary.

def _jitter(rng, x, radius, noise):
    return x + rng.uniform(-radius, radius, x.shape) * noise


def _halves(n):
    """Boolean mask: True for the first half (the positive class), False for the rest."""
    return np.arange(n) < n // 2


def _circle(rng, n, noise):
    radius = 5.0
    inner = _halves(n)
    r = np.where(inner, rng.uniform(0, radius * 0.5, n), rng.uniform(radius * 0.7, radius, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    return x, np.hypot(*_jitter(rng, x, radius, noise).T) < radius * 0.5


def _xor(rng, n, noise):
    x = rng.uniform(-5, 5, (n, 2))
    x += np.where(x > 0, 0.3, -0.3)  # Playground's padding keeps points off the axes
    noisy = _jitter(rng, x, 5, noise)
    return x, noisy[:, 0] * noisy[:, 1] >= 0


def _gaussian(rng, n, noise):
    positive = _halves(n)
    # Playground maps noise 0..0.5 linearly onto variance 0.5..4; extended to 1.
    variance = 0.5 + 7.0 * noise
    centre = np.where(positive, 2.0, -2.0)[:, None]
    return centre + rng.normal(0.0, math.sqrt(variance), (n, 2)), positive


def _spiral(rng, n, noise):
    first = _halves(n)
    n_arm = np.where(first, n // 2, n - n // 2)
    i = np.where(first, np.arange(n), np.arange(n) - n // 2) / n_arm
    r = 5.0 * i
    t = 1.75 * 2 * np.pi * i + np.where(first, 0.0, np.pi)
    x = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return x + rng.uniform(-1, 1, (n, 2)) * noise, first


def _moons(rng, n, noise):
    # Not in Playground; scikit-learn's two moons, centred and scaled by 3 to
    # span about [-4.5, 4.5] x [-2.3, 2.3]. Noise is Gaussian, std 2 * noise.
    outer = _halves(n)
    t = rng.uniform(0, np.pi, n)
    x = np.where(outer[:, None],
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    x = (x - [0.5, 0.25]) * 3.0
    return x + rng.normal(0.0, 2.0 * noise, (n, 2)), ~outer


def _plane(rng, n, noise):
    x = rng.uniform(-6, 6, (n, 2))
    return x, _jitter(rng, x, 6, noise).sum(axis=1) / 10.0


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
                   [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=np.float64)


def _multi_gaussian(rng, n, noise):
    x = rng.uniform(-6, 6, (n, 2))
    noisy = _jitter(rng, x, 6, noise)
    dist = np.hypot(noisy[:, :1] - _BUMPS[:, 0], noisy[:, 1:] - _BUMPS[:, 1])
    heights = _BUMPS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)
    # The bump with the largest |height| wins, as in Playground.
    return x, heights[np.arange(n), np.abs(heights).argmax(axis=1)]


class ToySpec(NamedTuple):
    """How to make one toy dataset."""

    task: str
    description: str
    generate: Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]


TOY_DATASETS: dict[str, ToySpec] = {
    "circle": ToySpec(CLASSIFICATION, QT_TRANSLATE_NOOP("nnviz.core", "A disc of one class inside a ring of the other."), _circle),
    "xor": ToySpec(CLASSIFICATION, QT_TRANSLATE_NOOP("nnviz.core", "Opposite quadrants share a class (exclusive or)."), _xor),
    "gaussian": ToySpec(CLASSIFICATION, QT_TRANSLATE_NOOP("nnviz.core", "Two Gaussian blobs; noise widens them."), _gaussian),
    "spiral": ToySpec(CLASSIFICATION, QT_TRANSLATE_NOOP("nnviz.core", "Two interleaved spirals."), _spiral),
    "moons": ToySpec(CLASSIFICATION, QT_TRANSLATE_NOOP("nnviz.core", "Two interleaving half circles."), _moons),
    "plane": ToySpec(REGRESSION, QT_TRANSLATE_NOOP("nnviz.core", "Target (x1 + x2) / 10, a tilted plane."), _plane),
    "multi_gaussian": ToySpec(REGRESSION, QT_TRANSLATE_NOOP("nnviz.core", "Six bumps of height +1 or -1."), _multi_gaussian),
}

REAL_DATASETS: tuple[str, ...] = ("iris", "wine", "digits")


def _choices(names) -> str:
    return ", ".join(names)


def make_toy(name: str, n_samples: int = 500, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Make one of :data:`TOY_DATASETS`: two features x1, x2 in about [-6, 6].

    ``noise`` is Playground's noise fraction (its slider 0..50 % is 0..0.5 here;
    up to 1 is allowed). For circle, xor, plane and multi_gaussian it decides
    each label at a position jittered by up to ``noise`` times the data radius,
    blurring the boundary; for spiral it moves points by up to ``noise``; for
    gaussian it widens the blobs (variance 0.5 + 7 * noise); for moons it adds
    Gaussian jitter with std 2 * noise. Classification sets are binary with
    half the rows in each class; rows come shuffled. Same seed, same arrays.
    """
    spec = TOY_DATASETS.get(name)
    if spec is None:
        raise DatasetError(f'there is no toy dataset "{name}"; choose one of {_choices(TOY_DATASETS)}.')
    if (isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer))
            or not MIN_SAMPLES <= n_samples <= MAX_SAMPLES):
        raise DatasetError(f"the number of samples must be a whole number from {MIN_SAMPLES} "
                           f"to {MAX_SAMPLES:,}, not {n_samples!r}; choose one in that range.")
    if not 0.0 <= noise <= 1.0:  # also rejects NaN
        raise DatasetError(f"noise must be between 0 and 1 (0 % to 100 %), not {noise}; "
                           "choose a value in that range.")
    rng = np.random.default_rng(seed)
    x, y = spec.generate(rng, int(n_samples), float(noise))
    order = rng.permutation(len(x))
    target_names = ["0", "1"] if spec.task == CLASSIFICATION else ["y"]
    return Dataset(name, x[order], y[order], spec.task, ["x1", "x2"], target_names)


# ------------------------------------------------------------- shipped tables

def resource_path(filename: str):
    """Where a shipped dataset file lives: the installed package, else the source tree."""
    from .shipped import resources_root  # here: shipped lists the datasets of this module

    return resources_root() / "datasets" / filename


def load_real(name: str, standardize: bool = True) -> Dataset:
    """Load a shipped table from :data:`REAL_DATASETS` (see resources/datasets/README.md).

    The class is the last column. Features are standardised unless
    ``standardize`` is False.
    """
    if name not in REAL_DATASETS:
        raise DatasetError(f'there is no shipped dataset "{name}"; choose one of {_choices(REAL_DATASETS)}.')
    # Imported here because csv_import itself imports this module.
    from nnviz.core.csv_import import read_csv

    text = resource_path(f"{name}.csv").read_text(encoding="utf-8")
    return read_csv(text, standardize=standardize, name=name)


def dataset_names() -> list[str]:
    """Every dataset known by name: toy datasets, then shipped tables."""
    return [*TOY_DATASETS, *REAL_DATASETS]
