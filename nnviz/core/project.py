"""An open ``.nnviz`` file as one object, with the operations the window and the command line share.

:class:`Project` holds the network, its training settings and history, the
record of the data it was trained on (a :class:`DatasetRecord`), the input
standardisation and names, and the probe input. The window's document wraps
one; the command line uses one directly, so both read, train and write a file
in the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import memory
from .counting import count
from .csv_import import read_csv
from .datasets import (
    CLASSIFICATION,
    REAL_DATASETS,
    TOY_DATASETS,
    Dataset,
    DatasetError,
    Standardization,
    dataset_names,
    load_real,
    make_toy,
)
from .keyframes import Keyframes
from .lint import DesignWarning, lint_run, training_rows
from .figure.style import DEFAULT_PRESET, PRESETS, FigureStyle
from .fileformat import FileFormatError, NetworkFile, load, save
from .fileformat.embedded import is_figure_path
from .network import Network
from .shipped import did_you_mean
from .numbers import human_bytes
from .spec import DenseSpec, NetworkSpec
from .training import EVAL_CHUNK, History, TrainConfig, Trainer

_FIX = "choose the data again, or fix the file's dataset entry"


@dataclass(frozen=True)
class DatasetRecord:
    """How to get a run's data again (saved as the file's "dataset" entry): a toy, a shipped table, or a CSV file.

    ``path`` (a CSV file) is absolute, or relative to the ``.nnviz`` file's
    folder; ``target`` is the CSV column to predict (None: the last column).
    ``n_samples``, ``noise`` and ``seed`` apply to toys only, ``standardize``
    to tables and CSV files only. Raises :class:`DatasetError` for a record
    that names no dataset nnviz knows.
    """

    name: str
    path: str | None = None
    target: str | None = None
    n_samples: int = 500
    noise: float = 0.0
    seed: int = 0
    standardize: bool = True

    def __post_init__(self):
        for key, ok, rule in (
            ("name", isinstance(self.name, str), "a string"),
            ("path", self.path is None or isinstance(self.path, str), "a file path (a string)"),
            ("target", self.target is None or isinstance(self.target, str), "a column name (a string)"),
            ("n_samples", _is_int(self.n_samples), "a whole number"),
            ("noise", _is_number(self.noise), "a number"),
            ("seed", _is_int(self.seed) and self.seed >= 0, "a whole number from 0"),
            ("standardize", isinstance(self.standardize, bool), "true or false"),
        ):
            if not ok:
                raise DatasetError(f'the dataset entry\'s "{key}" must be {rule}, got {getattr(self, key)!r}; {_FIX}.')
        if self.path is None and self.name not in TOY_DATASETS and self.name not in REAL_DATASETS:
            raise DatasetError(
                f'the dataset entry names "{self.name}", which is neither a dataset nnviz knows '
                f"({', '.join(dataset_names())}) nor a CSV file; {_FIX}."
            )

    @property
    def kind(self) -> str:
        """``"toy"``, ``"table"`` (a shipped table) or ``"csv"``."""
        if self.path is not None:
            return "csv"
        return "toy" if self.name in TOY_DATASETS else "table"

    def to_dict(self) -> dict:
        """The file's "dataset" entry: only the keys that apply to this kind, as JSON scalars."""
        if self.kind == "toy":
            return {"name": self.name, "n_samples": int(self.n_samples), "noise": float(self.noise), "seed": int(self.seed)}
        if self.kind == "table":
            return {"name": self.name, "standardize": self.standardize}
        record = {"name": self.name, "path": self.path}
        if self.target is not None:
            record["target"] = self.target
        return record | {"standardize": self.standardize}

    @classmethod
    def from_dict(cls, raw: dict) -> DatasetRecord:
        """Read a file's "dataset" entry; keys it lacks take their defaults and unknown keys are ignored.

        Older files read too (the command line once wrote ``{"name",
        "standardize", "seed"}`` for every named dataset). Raises
        :class:`DatasetError` saying what is wrong and what to do.
        """
        if not isinstance(raw, dict):
            raise DatasetError(f"the dataset entry must be an object such as {{\"name\": \"spiral\"}}, got {raw!r}; {_FIX}.")
        path = raw.get("path")
        name = raw.get("name")
        if name is None and isinstance(path, str):
            name = Path(path).stem
        if name is None:
            raise DatasetError(f"the dataset entry names no dataset (it has no \"name\"); {_FIX}.")
        known = ("target", "n_samples", "noise", "seed", "standardize")
        return cls(name, path, **{key: raw[key] for key in known if raw.get(key) is not None})

    @classmethod
    def from_argument(cls, name_or_path: str, *, target=None, seed: int = 0, standardize: bool = True) -> DatasetRecord:
        """What the command line's ``--dataset NAME|PATH.csv`` means.

        A toy gets ``seed`` (the training seed) and the default size and
        noise; a shipped table or CSV file gets ``standardize``; a CSV file's
        path is made absolute and its name is the file's stem. Names win over
        files of the same name. Raises :class:`DatasetError`.
        """
        name = str(name_or_path)
        if name in TOY_DATASETS or name in REAL_DATASETS:
            if target is not None:
                raise DatasetError(
                    f'the dataset "{name}" has a fixed target; leave out the target column, which is only for CSV files.'
                )
            return cls(name, seed=seed) if name in TOY_DATASETS else cls(name, standardize=standardize)
        path = Path(name)
        if not path.is_file():
            raise DatasetError(
                f'"{name}" is neither a file nor a dataset name{did_you_mean(name, dataset_names())}; give the path '
                f"to a .csv file or one of {', '.join(dataset_names())} ('nnviz examples' describes them)."
            )
        return cls(path.stem, path=str(path.resolve()), target=target, standardize=standardize)

    def load(self, base_dir=None) -> Dataset:
        """Make or read the data; a relative CSV path is taken from ``base_dir``. Raises :class:`DatasetError`."""
        if self.kind == "toy":
            return make_toy(self.name, self.n_samples, self.noise, self.seed)
        if self.kind == "table":
            return load_real(self.name, self.standardize)
        path = Path(self.path)
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        if not path.is_file():
            raise DatasetError(
                f'the CSV file "{path}" that this network was trained on is missing; '
                "put it back there, or choose the data again."
            )
        return read_csv(path, target=self.target, standardize=self.standardize, name=self.name)


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(eq=False)
class Project:
    """Everything an open ``.nnviz`` file holds, and the operations the window and the command line share.

    ``probe`` is the raw probe input (one float64 per input, ones by default);
    ``path`` the file it was read from or last saved to (None: never saved);
    ``figure_style`` how File ▸ Export Image… and ``nnviz export`` draw it.
    """

    network: Network
    training: TrainConfig = field(default_factory=TrainConfig)
    dataset: DatasetRecord | None = None
    history: History = field(default_factory=History)
    standardization: Standardization | None = None
    input_names: list[str] | None = None
    output_names: list[str] | None = None
    probe: np.ndarray | None = None  # None: ones; always an array once made
    path: Path | None = None
    keyframes: Keyframes = field(default_factory=Keyframes)  # the training timeline
    save_timeline: bool = False  # whether saving writes the keyframes into the file
    figure_style: FigureStyle = field(default_factory=lambda: PRESETS[DEFAULT_PRESET])  # how its figures look

    def __post_init__(self):
        if self.probe is None:
            self.probe = np.ones(self.network.spec.inputs)
        self.probe = np.asarray(self.probe, dtype=np.float64)
        if self.path is not None:
            self.path = Path(self.path)

    @property
    def spec(self) -> NetworkSpec:
        """The network's spec."""
        return self.network.spec

    # -- making, reading and writing ------------------------------------------

    @classmethod
    def default(cls) -> Project:
        """The network a first launch shows: a small, untrained 2-4-4-1 classifier."""
        spec = NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(4, "relu"), DenseSpec(1, "sigmoid")), name="2-4-4-1")
        return cls.from_file(NetworkFile(spec=spec, params=[None] * len(spec.layers)))

    @classmethod
    def from_file(cls, nf: NetworkFile, path=None) -> Project:
        """A project for a read file (``path``: where it came from).

        Raises :class:`FileFormatError` (at ``"dataset"``) for a dataset
        entry nnviz cannot use, or when the network does not fit in memory.
        """
        try:
            record = None if nf.dataset is None else DatasetRecord.from_dict(nf.dataset)
        except DatasetError as exc:
            raise FileFormatError("dataset", str(exc)) from None
        try:
            memory.check(memory.estimate(nf.spec, dtype=nf.training.dtype))
        except memory.MemoryBudgetError as exc:
            raise FileFormatError("", str(exc)) from None
        try:
            network = nf.build_network()
        except MemoryError:
            size = human_bytes(count(nf.spec).memory_bytes(np.dtype(nf.training.dtype).itemsize))
            raise FileFormatError(
                "", f"this network's parameters need {size}, more memory than is free; close other programs or "
                "make its layers smaller"
            ) from None
        return cls(
            network=network,
            training=nf.training,
            dataset=record,
            history=nf.history,
            standardization=nf.standardization,
            input_names=nf.input_names,
            output_names=nf.output_names,
            probe=nf.probe,
            path=path,
            keyframes=nf.timeline or Keyframes(),
            save_timeline=nf.timeline is not None,
            figure_style=nf.figure_style or PRESETS[DEFAULT_PRESET],
        )

    @classmethod
    def load(cls, path) -> Project:
        """Read a ``.nnviz`` file, or the network inside a figure nnviz exported (a ``.png`` or ``.svg``).

        A figure's network has no path, so saving it asks for one rather than
        overwriting the picture. Any problem is a :class:`FileFormatError` and
        nothing is half-built.
        """
        return cls.from_file(load(path), None if is_figure_path(path) else Path(path))

    def to_file(self) -> NetworkFile:
        """The project as a file's content (a copy of the parameters; the history is shared)."""
        return NetworkFile.from_network(
            self.network,
            training=self.training,
            dataset=None if self.dataset is None else self.dataset.to_dict(),
            history=self.history,
            standardization=self.standardization,
            input_names=self.input_names,
            output_names=self.output_names,
            probe=self.probe.copy(),
            timeline=self.keyframes if self.save_timeline else None,
            figure_style=self.figure_style,
        )

    def snapshot(self, folder) -> NetworkFile:
        """What :meth:`save` would write into ``folder``, on copies of its own (parameters, history and
        kept timeline), so it can be written elsewhere (another thread) while the project goes on changing.

        ``folder`` None: a copy with no folder of its own (the network inside a figure), whose relative
        CSV path is made absolute. The project's path does not change: this is for copies such as the
        window's autosave.
        """
        nf = self.to_file()
        dataset = self._dataset_seen_from(None if folder is None else Path(folder))
        nf.dataset = None if dataset is None else dataset.to_dict()
        nf.history = self.history.rows(0, len(self.history))
        if nf.timeline is not None:
            nf.timeline = nf.timeline.copy()
        return nf

    def timeline_bytes(self) -> int:
        """About how much the keyframes add to the saved file (JSON text: ~12 bytes a number)."""
        return 12 * sum(self.keyframes.state(e).size for e in self.keyframes.epochs)

    def save(self, path=None) -> None:
        """Write the project atomically to ``path`` (default: its own path), which becomes its path.

        The keyframes of the timeline go in too when ``save_timeline`` is set.

        A relative CSV path in the dataset record is made absolute when the
        file moves to another folder, so the record still finds the data.
        Raises :class:`FileFormatError` or :class:`OSError`; the target is then untouched.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this project has no path yet; give one to save it")
        dataset = self._dataset_seen_from(target.parent)
        nf = self.to_file()
        nf.dataset = None if dataset is None else dataset.to_dict()
        save(nf, target)
        self.dataset = dataset
        self.path = target

    def _dataset_seen_from(self, folder: Path | None) -> DatasetRecord | None:
        record = self.dataset
        if record is None or record.path is None or Path(record.path).is_absolute() or self.path is None:
            return record
        if folder is not None and self.path.parent.resolve() == folder.resolve():
            return record
        return replace(record, path=str((self.path.parent / record.path).resolve()))

    # -- data and training ----------------------------------------------------

    def load_dataset(self) -> Dataset:
        """The data the dataset record names (a relative CSV path is taken from the file's folder).

        Raises :class:`DatasetError`, also when the project records no dataset.
        """
        if self.dataset is None:
            raise DatasetError("this network records no dataset; choose one to train on.")
        return self.dataset.load(None if self.path is None else self.path.parent)

    def split(self, data: Dataset) -> tuple[Dataset, Dataset]:
        """``data`` cut into (training, validation) by the training settings' fraction and seed."""
        return data.split(self.training.val_split, self.training.seed)

    def trainer(self, data: Dataset, network: Network | None = None) -> Trainer:
        """A :class:`Trainer` for ``network`` (default: the project's own, trained in place) on ``data``.

        The data is split by :meth:`split`; accuracy is measured for
        classification data. Raises :class:`TrainingError` or :class:`DatasetError`.
        """
        train_set, val_set = self.split(data)
        self.check_training_memory(train_set.n_samples, val_set.n_samples)
        return Trainer(
            self.network if network is None else network,
            train_set.x,
            train_set.y,
            self.training,
            validation=(val_set.x, val_set.y) if val_set.n_samples else None,
            classification=data.task == CLASSIFICATION,
        )

    def check_training_memory(self, n_train: int, n_val: int = 0, copies: int = 0) -> None:
        """Refuse a run that would not fit in memory, before anything is allocated.

        Counts the network, its gradients, the optimiser's buffers, a batch's
        activations and an evaluation chunk (``copies``: extra copies of the
        parameters the caller keeps). Raises :class:`~nnviz.core.memory.MemoryBudgetError`.
        """
        cfg = self.training
        est = memory.estimate(
            self.spec,
            dtype=self.network.dtype,
            copies=copies,
            optimizer=cfg.optimizer,
            batch_size=min(cfg.batch_size, max(n_train, 1)),
            eval_samples=min(max(n_train, n_val), EVAL_CHUNK),
        )
        memory.check(est, "training this network")

    def adoption(self, data: Dataset, record: DatasetRecord) -> dict:
        """What training on ``data`` records in the file, by attribute: see :meth:`adopt_data`."""
        names = {"input_names": list(data.feature_names)}
        if data.task == CLASSIFICATION and self.spec.outputs == len(data.target_names):
            names["output_names"] = list(data.target_names)
        return {"dataset": record, "standardization": data.standardization} | names

    def adopt_data(self, data: Dataset, record: DatasetRecord) -> None:
        """Record what training on ``data`` means for the file.

        The dataset record, the data's standardisation and feature names, and
        its class names when it is a classification with one class per output.
        """
        for name, value in self.adoption(data, record).items():
            setattr(self, name, value)

    def lint(self, data: Dataset | None = None) -> list[DesignWarning]:
        """The design warnings for training the network as it is now on ``data`` (None: no data chosen).

        Every rule runs: the data's task, training rows and feature scale, and
        the current weights on those rows (see :func:`~nnviz.core.lint.lint_run`).
        """
        rows = None if data is None else training_rows(data, self.training)
        return lint_run(self.spec, self.training, rows, self.network)

    @property
    def epochs_done(self) -> int:
        """The last epoch number in the history (0 when it is empty)."""
        return self.history.epoch[-1] if len(self.history) else 0

    def apply_run(self, params, epochs: History, offset: int) -> None:
        """Take a finished run, or a part of one: its parameters and its new epochs.

        ``epochs`` are numbered from 1 within the run; they are appended
        shifted by ``offset`` (:attr:`epochs_done` when the run started).
        """
        self.network.load_params(params)
        self.history.extend(epochs, offset)

    # -- inputs -------------------------------------------------------------

    def standardize(self, raw) -> np.ndarray:
        """Raw input values (the probe, a point of the input plane) as the network sees them (float64)."""
        x = np.asarray(raw, dtype=np.float64)
        return x if self.standardization is None else np.asarray(self.standardization.apply(x), dtype=np.float64)

    def trace(self, raw=None) -> list[dict]:
        """Weighted sums ``z`` and activations ``a`` of every layer for one raw input (default: the probe)."""
        x = self.standardize(self.probe if raw is None else raw)
        return self.network.trace(x[None, :])
