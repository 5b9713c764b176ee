"""Training: a loop written as a generator, stoppable between any two steps.

``Trainer.steps()`` yields after every step (a cheap :class:`StepResult`), so a
caller (the command line, a notebook, the GUI's worker thread) decides when to
stop, pause, or take a full :class:`Snapshot` — which copies statistics and, on
request, weights and gradients. :func:`train` is the simple form: it yields a
snapshot at the end of every epoch.

A step whose loss or update is NaN or infinite is not applied: the run ends
with status ``"diverged"`` and the network keeps the last good weights.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Iterator

import numpy as np

from .losses import LOSSES, LossError, resolve_loss
from .network import Network
from .optimizers import OPTIMIZER_NAMES, OptimizerSettings, make_optimizer
from .spec import SpecError, check_choice, check_int

EVAL_CHUNK = 8192  # rows per forward pass when evaluating, to bound memory


class TrainingError(ValueError):
    """Data or settings that cannot be trained on; ``str()`` says what to change."""


@dataclass
class TrainConfig:
    """Training settings, as saved in a ``.nnviz`` file."""

    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 32
    epochs: int = 100
    loss: str = "auto"
    l1: float = 0.0
    l2: float = 0.0
    clip_norm: float = 0.0  # 0 = no clipping
    momentum: float = 0.9
    seed: int = 0
    val_split: float = 0.2
    dtype: str = "float32"

    def validate(self) -> None:
        """Raise :class:`SpecError` naming the first bad setting."""
        check_choice("training.optimizer", self.optimizer, OPTIMIZER_NAMES)
        check_choice("training.loss", self.loss, ("auto", *LOSSES))
        check_choice("training.dtype", self.dtype, ("float32", "float64"))
        _check_number("training.learning_rate", self.learning_rate, 0, 10, low_open=True)
        for name in ("l1", "l2"):
            _check_number(f"training.{name}", getattr(self, name), 0, 10)
        _check_number("training.clip_norm", self.clip_norm, 0, 1e6)
        _check_number("training.momentum", self.momentum, 0, 1, high_open=True)
        _check_number("training.val_split", self.val_split, 0, 0.9)
        for name, low, high in (("batch_size", 1, 1_000_000), ("epochs", 1, 1_000_000), ("seed", 0, 2**32 - 1)):
            check_int(f"training.{name}", getattr(self, name), low, high)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SpecError(f"training.{unknown[0]}", f"unknown setting; known: {', '.join(sorted(known))}")
        config = cls(**data)
        config.validate()
        return config


def _check_number(where, value, low, high, *, low_open=False, high_open=False):
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok:
        lo = f"above {low}" if low_open else f"from {low}"
        hi = f"below {high}" if high_open else f"to {high}"
        raise SpecError(where, f"must be a number {lo} {hi}, got {value!r}")


def _optimizer_settings(config: "TrainConfig") -> OptimizerSettings:
    return OptimizerSettings(lr=config.learning_rate, momentum=config.momentum)


def _norm_segments(network: Network) -> tuple[np.ndarray, list[list[int]]]:
    """Where each parameter array starts in the flat gradients (in order), and which arrays make up each layer.

    Every layer's gradient norm then comes from one pass over the flat vector.
    """
    spans = [(piece.start, i) for i in range(len(network.layers)) for piece in network.layer_slices(i).values()]
    spans.sort()
    layers = [[] for _ in network.layers]
    for k, (_, i) in enumerate(spans):
        layers[i].append(k)
    return np.array([start for start, _ in spans], dtype=np.intp), layers


# The per-epoch lists that hold one number (or None) per epoch, after ``epoch`` itself.
_SCALAR_ROWS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


@dataclass
class History:
    """Loss and accuracy per completed epoch (``None`` where not measured), and gradient norms.

    ``grad_norms`` has one row per epoch: each layer's gradient norm at the
    epoch's last step (``None`` for a layer without parameters); a row is
    empty where the norms were not recorded.
    """

    epoch: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    train_accuracy: list[float | None] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)
    grad_norms: list[list[float | None]] = field(default_factory=list)

    def __post_init__(self):
        # A history made from lists that predate the norms still has one row per epoch.
        missing = len(self.epoch) - len(self.grad_norms)
        if missing > 0:
            self.grad_norms = [*self.grad_norms, *([] for _ in range(missing))]

    def __len__(self):
        return len(self.epoch)

    def append(self, epoch, train_loss, val_loss, train_accuracy, val_accuracy, grad_norms=None):
        """Add one epoch's row; ``grad_norms`` (one per layer) may be left out."""
        self.epoch.append(epoch)
        self.train_loss.append(train_loss)
        self.val_loss.append(val_loss)
        self.train_accuracy.append(train_accuracy)
        self.val_accuracy.append(val_accuracy)
        self.grad_norms.append([] if grad_norms is None else list(grad_norms))

    def extend(self, other: "History", epoch_offset: int = 0) -> None:
        """Append ``other``'s epochs, their numbers shifted by ``epoch_offset``."""
        self.epoch.extend(e + epoch_offset for e in other.epoch)
        for name in _SCALAR_ROWS:
            getattr(self, name).extend(getattr(other, name))
        self.grad_norms.extend(list(row) for row in other.grad_norms)

    def since(self, start: int) -> "History":
        """A copy of the epochs from row ``start`` on (what was added since a reader last looked)."""
        return self.rows(start, len(self))

    def rows(self, start: int, stop: int) -> "History":
        """A copy of the epochs in rows ``start`` to ``stop`` (exclusive)."""
        rows = {name: getattr(self, name)[start:stop] for name in ("epoch", *_SCALAR_ROWS)}
        return History(**rows, grad_norms=[list(row) for row in self.grad_norms[start:stop]])

    def to_dict(self) -> dict:
        """Every list by name (copies), as saved in a ``.nnviz`` file."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "History":
        """The inverse of :meth:`to_dict`; missing lists are empty."""
        rows = {name: list(data.get(name, [])) for name in ("epoch", *_SCALAR_ROWS)}
        return cls(**rows, grad_norms=[list(row) for row in data.get("grad_norms", [])])


@dataclass(frozen=True)
class LayerStats:
    """Statistics of one layer's weights (or batch-norm scales) and of all its gradients."""

    weight_mean: float
    weight_std: float
    weight_min: float
    weight_max: float
    weight_norm: float
    grad_norm: float
    grad_mean_abs: float


@dataclass(frozen=True)
class StepResult:
    epoch: int  # the epoch this step belongs to, from 1
    step: int  # steps done in total
    loss: float  # this batch's loss (NaN or inf when it diverged)
    epoch_done: bool
    diverged: bool


@dataclass
class Snapshot:
    """The state of a run at one moment; arrays are copies the caller may keep."""

    epoch: int  # completed epochs
    step: int
    train_loss: float | None
    train_accuracy: float | None
    val_loss: float | None
    val_accuracy: float | None
    layer_stats: list[LayerStats | None]  # None for layers without parameters
    status: str = "running"  # running | finished | diverged
    message: str = ""
    weights: list[dict[str, np.ndarray]] | None = None
    gradients: list[dict[str, np.ndarray]] | None = None


def fit_targets(y: np.ndarray, outputs: int) -> np.ndarray:
    """Targets shaped for a network with ``outputs`` units.

    A binary target column (0/1) feeds a 2-unit softmax output as one-hot.
    Raise :class:`TrainingError` when the widths cannot match.
    """
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    if y.shape[1] == outputs:
        return y
    if y.shape[1] == 1 and outputs == 2 and np.isin(y, (0.0, 1.0)).all():
        return np.hstack([1.0 - y, y])
    raise TrainingError(
        f"the data has {y.shape[1]} target column(s) but the network has {outputs} output unit(s); "
        f"set the last layer to {y.shape[1]} unit(s)"
    )


def pick_loss(loss: str, spec, y, validation_y=None, *, classification: bool | None = None) -> str:
    """The loss a run of ``spec`` on targets ``y`` uses: ``loss`` itself, or what "auto" picks for them.

    ``y`` as :func:`fit_targets` returns them (any target rows fitted the same
    way, e.g. the validation rows, in ``validation_y``). ``classification``
    False (a regression task) makes "auto" pick mean squared error. Raise
    :class:`TrainingError` for a cross-entropy the targets cannot take, saying
    which loss to choose.
    """
    task = None if classification is None else ("classification" if classification else "regression")
    act, outputs = spec.output_activation(), spec.outputs
    targets = [y] if validation_y is None or not len(validation_y) else [y, validation_y]
    try:
        if loss == "auto":
            picks = {resolve_loss(loss, act, outputs, t, task) for t in targets}
            return picks.pop() if len(picks) == 1 else "mse"  # one loss for both, and one both can take
        for t in targets:
            resolve_loss(loss, act, outputs, t, task)
    except LossError as exc:
        raise TrainingError(str(exc)) from None
    return loss


def loss_for_targets(loss: str, spec, y, validation_y=None, *, classification: bool | None = None) -> str:
    """:func:`pick_loss` for target rows as a dataset holds them (fitted by :func:`fit_targets` first).

    For a check before a run: targets that do not fit the outputs at all leave
    the pick to the output layer alone (the run itself reports the widths).
    """
    try:
        y = fit_targets(y, spec.outputs)
        validation_y = None if validation_y is None else fit_targets(validation_y, spec.outputs)
    except TrainingError:
        return resolve_loss(loss, spec.output_activation(), spec.outputs)
    return pick_loss(loss, spec, y, validation_y, classification=classification)


class Trainer:
    """Trains ``network`` in place on ``(x, y)`` with ``config``.

    ``classification`` defaults to whether the loss is a cross-entropy; it turns
    on accuracy. The network's dtype is used for all arithmetic; the data is
    converted to it once (never copied per epoch).
    """

    def __init__(self, network: Network, x, y, config: TrainConfig, *, validation=None, classification=None):
        config.validate()
        self.net = network
        self.config = config
        dtype = network.dtype
        self.x = np.ascontiguousarray(x, dtype=dtype)
        if self.x.ndim != 2 or self.x.shape[1] != network.spec.inputs:
            raise TrainingError(
                f"the data has {self.x.shape[-1]} feature(s) but the network has {network.spec.inputs} input(s); "
                f"set the input size to {self.x.shape[-1]}"
            )
        self.y = fit_targets(y, network.spec.outputs).astype(dtype)
        if len(self.x) != len(self.y) or len(self.x) == 0:
            raise TrainingError(f"need as many target rows as feature rows (got {len(self.x)} and {len(self.y)}), and at least one")
        vy = None
        if validation is not None and len(validation[0]):
            vy = fit_targets(validation[1], network.spec.outputs).astype(dtype)
        self._task = classification
        self.loss = pick_loss(config.loss, network.spec, self.y, vy, classification=classification)
        self.classification = self.loss in ("bce", "cce") if classification is None else classification
        self.labels = self._labels(self.y)
        self.validation = None
        self._val_labels = None
        if vy is not None:
            vx = np.ascontiguousarray(validation[0], dtype=dtype)
            self.validation = (vx, vy)
            self._val_labels = self._labels(vy)
        self.optimizer = make_optimizer(config.optimizer, network.params.size, dtype, _optimizer_settings(config))
        self._norm_segments = _norm_segments(network)
        self._use(config)
        self.rng = np.random.default_rng(config.seed)
        for layer in network.layers:
            if layer.kind == "dropout":
                layer.rng = self.rng
        self.history = History()
        self.step_count = 0
        self.epoch = 0  # completed epochs
        self.status = "running"
        self.message = ""
        self._new_epoch()

    def _labels(self, y):
        if not self.classification:
            return None
        return y.argmax(axis=1) if y.shape[1] > 1 else y[:, 0] > 0.5

    def _use(self, config):
        """Keep the settings a step reads where reading them is cheapest."""
        self.config = config
        self._batch = config.batch_size
        self._penalties = bool(config.l1 or config.l2)
        self._clip = config.clip_norm

    def reconfigure(self, config: TrainConfig) -> None:
        """Apply new settings to this run without resetting it.

        The learning rate, momentum, ``l1``, ``l2`` and ``clip_norm`` apply from
        the next step. So does ``batch_size``; the current epoch keeps its
        order of the samples. A ``loss`` that resolves to another loss is used
        from the next step (whether accuracy is measured stays as it was). A
        different ``optimizer`` starts with a fresh state; the same one keeps
        its state (moments, step count) with the new learning rate and
        momentum. ``val_split``, ``seed`` and ``epochs`` belong to the data's
        split and to a new run, so they are ignored (the old ones stay in
        :attr:`config`).

        Raise :class:`SpecError` for a bad setting (as :meth:`TrainConfig.validate`)
        and :class:`TrainingError` for another ``dtype`` or a loss the targets cannot take; either way nothing changes.
        """
        config.validate()
        old = self.config
        if config.dtype != old.dtype:
            raise TrainingError("the number type cannot change during a run; start a new run")
        vy = None if self.validation is None else self.validation[1]
        self.loss = pick_loss(config.loss, self.net.spec, self.y, vy, classification=self._task)
        if config.optimizer == old.optimizer:
            self.optimizer.configure(_optimizer_settings(config))
        else:
            self.optimizer = make_optimizer(config.optimizer, self.net.params.size, self.net.dtype, _optimizer_settings(config))
        self._use(replace(config, epochs=old.epochs, seed=old.seed, val_split=old.val_split))

    def _new_epoch(self):
        self._perm = self.rng.permutation(len(self.x))
        self._pos = 0
        self._loss_sum = 0.0
        self._correct = 0
        self._seen = 0

    # -- one step -----------------------------------------------------------

    def step(self) -> StepResult:
        """Train on one batch. Does nothing more once the run has diverged."""
        if self.status == "diverged":
            return StepResult(self.epoch + 1, self.step_count, math.nan, False, True)
        # A diverging run overflows on its way to NaN. That ends the run with status
        # "diverged" below; NumPy's overflow warnings would only be noise (or, where
        # warnings are errors, an exception instead of that clear message).
        with np.errstate(over="ignore", invalid="ignore"):
            return self._step()

    def _step(self) -> StepResult:
        net = self.net
        pos = self._pos
        idx = self._perm[pos : pos + self._batch]
        # take(): the same rows as x[idx], with less fixed cost per call.
        out, loss = net.train_pass(self.x.take(idx, 0), self.y.take(idx, 0), self.loss)
        g = net.grads
        if self._penalties:
            loss += self._add_penalties(g)
        if self._clip:
            norm = math.sqrt(float(np.dot(g, g)))
            if norm > self._clip:
                g *= self._clip / norm
        u = self.optimizer.update(g)
        if not math.isfinite(loss) or not math.isfinite(np.dot(u, u)):
            self._diverge(loss)
            return StepResult(self.epoch + 1, self.step_count, loss, False, True)
        net.params -= u
        self.step_count += 1
        n = len(idx)
        self._pos = pos = pos + n
        self._seen += n
        self._loss_sum += loss * n
        if self.labels is not None:
            self._correct += int(np.count_nonzero(self._predicted_labels(out) == self.labels.take(idx)))
        if pos >= len(self.x):
            self._end_epoch()
            return StepResult(self.epoch, self.step_count, loss, True, False)
        return StepResult(self.epoch + 1, self.step_count, loss, False, False)

    def _predicted_labels(self, out):
        return out.argmax(axis=1) if out.shape[1] > 1 else out[:, 0] > 0.5

    def _add_penalties(self, g) -> float:
        """Add L1/L2 gradients on the weights (not biases); return the penalty."""
        cfg = self.config
        w, gw = self.net.params[: self.net.n_weights], g[: self.net.n_weights]
        penalty = 0.0
        if cfg.l2:
            gw += (2 * cfg.l2) * w
            penalty += cfg.l2 * float(np.dot(w, w))
        if cfg.l1:
            gw += cfg.l1 * np.sign(w)
            penalty += cfg.l1 * float(np.abs(w).sum())
        return penalty

    def _diverge(self, loss):
        self.status = "diverged"
        if math.isfinite(loss):
            # The update's squared norm overflowed or is NaN; which one is not known.
            what = "the update became infinite or NaN"
        else:
            what = f"the loss became {'NaN' if math.isnan(loss) else 'infinite'}"
        self.message = (
            f"Training diverged at epoch {self.epoch + 1}, step {self.step_count + 1}: {what}. The weights from before that step "
            f"are kept. Try a lower learning rate (now {self.config.learning_rate:g}), gradient clipping "
            f"(Clip, beside the learning rate in the training settings, or nnviz train --clip-norm), or standardised inputs."
        )

    def _end_epoch(self):
        self.epoch += 1
        train_loss = self._loss_sum / self._seen
        train_acc = self._correct / self._seen if self.labels is not None else None
        val_loss = val_acc = None
        if self.validation is not None:
            val_loss, val_acc = self._evaluate(*self.validation, self._val_labels)
        self.history.append(self.epoch, train_loss, val_loss, train_acc, val_acc, self._grad_norms())
        self._new_epoch()

    def _grad_norms(self) -> list[float | None]:
        """Each layer's gradient norm at the last step (None without parameters, or if not finite)."""
        starts, layer_segments = self._norm_segments
        # float64: a float32 sum of squares overflows long before the norm itself would.
        g = self.net.grads.astype(np.float64)
        sums = np.add.reduceat(np.multiply(g, g, out=g), starts).tolist() if len(starts) else []
        norms = []
        for segments in layer_segments:
            if not segments:
                norms.append(None)
                continue
            norm = math.sqrt(sum(sums[k] for k in segments))
            # Seven significant digits (float32's precision) keep a saved file's rows short; the norms are for plots.
            norms.append(float(f"{norm:.7g}") if math.isfinite(norm) else None)
        return norms

    # -- runs ---------------------------------------------------------------

    def steps(self, epochs: int | None = None) -> Iterator[StepResult]:
        """Yield after every step until ``epochs`` more epochs are done (default: the config's) or it diverges."""
        target = self.epoch + (self.config.epochs if epochs is None else epochs)
        while self.epoch < target:
            result = self.step()
            yield result
            if result.diverged:
                return
        self.status = "finished"

    def evaluate(self, x, y) -> tuple[float, float | None]:
        """Loss and accuracy (``None`` for regression) of the network in inference mode."""
        x = np.asarray(x, dtype=self.net.dtype)
        if x.ndim == 1:
            x = x[None, :]
        y = fit_targets(y, self.net.spec.outputs).astype(self.net.dtype)
        return self._evaluate(x, y, self._labels(y))

    def _evaluate(self, x, y, labels):
        """:meth:`evaluate` of data already converted, with its labels (None for regression)."""
        net, loss = self.net, self.loss
        loss_sum, correct = 0.0, 0
        for start in range(0, len(x), EVAL_CHUNK):
            xb, yb = x[start : start + EVAL_CHUNK], y[start : start + EVAL_CHUNK]
            out = net.forward_ready(xb, False)
            loss_sum += net.loss_value(out, yb, loss) * len(xb)
            if labels is not None:
                correct += int(np.count_nonzero(self._predicted_labels(out) == labels[start : start + EVAL_CHUNK]))
        n = max(len(x), 1)
        return loss_sum / n, (correct / n if labels is not None else None)

    def snapshot(self, arrays: bool = False) -> Snapshot:
        """The run's state now; with ``arrays``, copies of weights and gradients too."""
        h = self.history
        last = (lambda name: getattr(h, name)[-1]) if len(h) else (lambda name: None)
        net = self.net
        stats = []
        for i, layer in enumerate(net.layers):
            params = net.layer_params(i)
            if not params:
                stats.append(None)
                continue
            w = params.get("weights", params.get("gamma"))
            g = np.concatenate([a.ravel() for a in net.layer_grads(i).values()])
            # The gradients of a step that diverged may overflow here: their norm is then inf, not a warning.
            with np.errstate(over="ignore", invalid="ignore"):
                stats.append(
                    LayerStats(
                        float(w.mean()),
                        float(w.std()),
                        float(w.min()),
                        float(w.max()),
                        float(np.linalg.norm(w)),
                        float(np.linalg.norm(g)),
                        float(np.abs(g).mean()),
                    )
                )
        snap = Snapshot(
            self.epoch,
            self.step_count,
            last("train_loss"),
            last("train_accuracy"),
            last("val_loss"),
            last("val_accuracy"),
            stats,
            self.status,
            self.message,
        )
        if arrays:
            snap.weights = net.copy_params()
            snap.gradients = [{k: v.copy() for k, v in net.layer_grads(i).items()} for i in range(len(net.layers))]
        return snap


def train(network: Network, x, y, config: TrainConfig, *, validation=None, arrays: bool = False) -> Iterator[Snapshot]:
    """Train ``network`` in place, yielding a :class:`Snapshot` after every epoch.

    The last snapshot has status ``"finished"`` or ``"diverged"``. Stop early by
    simply not asking for the next snapshot.
    """
    trainer = Trainer(network, x, y, config, validation=validation)
    for result in trainer.steps():
        if result.epoch_done or result.diverged:
            if trainer.epoch == config.epochs and not result.diverged:
                trainer.status = "finished"
            yield trainer.snapshot(arrays)
