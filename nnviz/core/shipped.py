"""The example networks and datasets that ship with nnviz, found by name.

One place for both the window (File ▸ Examples, File ▸ New…) and the command
line (``nnviz examples``, and ``example:NAME`` wherever a network file goes):
an example's name is its file name without ``.nnviz``; a dataset's name is the
one ``--dataset`` and the file's ``"dataset"`` entry use.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .datasets import REAL_DATASETS, TOY_DATASETS, Dataset, load_real, make_toy
from .fileformat import load
from .spec import DenseSpec, NetworkSpec

EXAMPLE_PREFIX = "example:"


class UnknownNameError(LookupError):
    """A name that no shipped example has; str() lists close names and says where to find them all."""


def resources_root() -> Path:
    """The folder of the shipped files (examples/, datasets/): the installed package, else the source tree."""
    try:
        from importlib.resources import files

        return Path(str(files("nnviz.resources")))
    except ModuleNotFoundError:
        # Running from a checkout that was not installed (nnviz.resources is
        # mapped from the top-level resources/ directory only when installed).
        return Path(__file__).resolve().parents[2] / "resources"


def example_files() -> list[Path]:
    """The shipped example networks, sorted by name."""
    return sorted((resources_root() / "examples").glob("*.nnviz"), key=lambda p: p.name)


def example_names() -> list[str]:
    """The names ``example:NAME`` accepts, sorted."""
    return [path.stem for path in example_files()]


def is_shipped_example(path) -> bool:
    """Whether ``path`` is one of the shipped example files (which training must not write over)."""
    try:
        target = Path(path).resolve()
    except OSError:
        return False
    return any(target == example.resolve() for example in example_files())


def example_path(name: str) -> Path:
    """The file of the shipped example ``name``; raises :class:`UnknownNameError` naming close matches."""
    for path in example_files():
        if path.stem == name:
            return path
    raise UnknownNameError(
        f'there is no shipped example "{name}"{did_you_mean(name, example_names())}; '
        "'nnviz examples' lists them all"
    )


def resolve_network(argument: str) -> str:
    """A network argument as a file path: ``example:NAME`` becomes the example's file, anything else stays.

    Raises :class:`UnknownNameError` for an example name that does not exist.
    """
    if argument.startswith(EXAMPLE_PREFIX):
        return str(example_path(argument[len(EXAMPLE_PREFIX):]))
    return argument


def did_you_mean(name: str, names) -> str:
    """`` (did you mean "a" or "b"?)`` for the names close to ``name``, or "" when none is."""
    names = list(names)
    lowered = name.lower()
    # A part of a name ("spiral") finds the names containing it; difflib catches the typos.
    close = [n for n in names if lowered and lowered in n.lower()]
    close += [n for n in difflib.get_close_matches(name, names, n=3, cutoff=0.6) if n not in close]
    if not close:
        return ""
    quoted = [f'"{n}"' for n in close[:3]]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {listed}?)"


@dataclass(frozen=True)
class ExampleSummary:
    """One shipped example as ``nnviz examples`` lists it."""

    name: str
    title: str  # the network's own one-line name
    sizes: str  # "2-4-4-1": the input and every dense layer's units
    path: Path


def layer_sizes(spec: NetworkSpec) -> str:
    """A network's shape as people write it: the inputs and each dense layer's units, ``"2-4-4-1"``."""
    return "-".join(str(n) for n in [spec.inputs, *(layer.units for layer in spec.layers if isinstance(layer, DenseSpec))])


def summarize_examples() -> list[ExampleSummary]:
    """Every shipped example with its title and shape, sorted by name."""
    summaries = []
    for path in example_files():
        spec = load(path).spec
        summaries.append(ExampleSummary(path.stem, spec.name, layer_sizes(spec), path))
    return summaries


@dataclass(frozen=True)
class DatasetSummary:
    """One dataset known by name as ``nnviz examples`` lists it."""

    name: str
    rows: int
    features: int
    task: str  # "classification" or "regression"
    classes: int | None
    description: str


def summarize_datasets() -> list[DatasetSummary]:
    """Every dataset known by name: the 2-D toys (at their default size), then the shipped tables."""
    summaries = [_dataset_summary(make_toy(name), spec.description) for name, spec in TOY_DATASETS.items()]
    for name in REAL_DATASETS:
        data = load_real(name)
        summaries.append(_dataset_summary(data, f"A real table; its classes: {_elided(data.target_names)}."))
    return summaries


def _elided(names, keep: int = 4) -> str:
    names = list(names)
    return ", ".join(names) if len(names) <= keep else ", ".join(names[:keep - 1]) + f", … {names[-1]}"


def _dataset_summary(data: Dataset, description: str) -> DatasetSummary:
    return DatasetSummary(data.name, data.n_samples, data.n_features, data.task, data.n_classes, description)
