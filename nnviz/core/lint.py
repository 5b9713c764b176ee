"""Design warnings ("lint"): common mistakes in a network, spotted before or after training.

:func:`lint` looks at a :class:`~nnviz.core.spec.NetworkSpec` and, when given,
the training settings, the inputs and the network's current parameters, and
returns :class:`DesignWarning` objects for a learner to read.

Conventions every message follows, so that they read well in a status strip:

- One sentence in plain words, saying what is wrong and why, then what to do;
  it ends with a period and has no stray spaces.
- A warning's ``layer`` field is 0-based (an index into ``spec.layers``), or
  ``None`` for the inputs or the network as a whole. In text, layers are
  counted from 1 as the user sees them: ``layer 3`` is ``spec.layers[2]``,
  dropout and batch-norm layers counted too; input features are counted from
  1 as well (``feature 1`` is column 0, the toy sets' ``x1``).
- A message never names its own layer: :func:`format_warning` puts
  ``"layer N: "`` in front. It names *other* layers as ``layer N``.

The "output layer" below is the last layer with an activation (dense or batch
norm), the one whose activation is :meth:`NetworkSpec.output_activation`;
dropout after it does not change that. "Hidden layers" are the others.

Rules (codes are stable; :data:`RULES` gives a title for each):

``softmax-hidden``
    Softmax on any layer but the output layer.
``linear-collapse``
    A dense layer with linear activation whose next layer, skipping dropout,
    is another dense layer; batch norm in between breaks the pair. Reported
    on the first layer of the pair.
``output-mismatch``
    At most one per network, on the output layer, the first that applies of:
    softmax on a single output unit (always 1.0); a cross-entropy loss for a
    regression task; bce without a sigmoid output; cce without a softmax
    output; for regression, a softmax output (warning) or a sigmoid or tanh
    output (info: fine only if every target lies in its range, as in
    Playground's tanh regression); for classification with mse, an output
    that is not sigmoid or softmax (info: it works, cross-entropy is better).
    A linear or ReLU output for regression is quiet. "auto" resolves the loss
    as training does (:func:`~nnviz.core.losses.resolve_loss`): mean squared
    error for a regression task.
``vanishing-gradients``
    :data:`VANISHING_LAYERS` or more *hidden* dense layers with sigmoid or tanh,
    consecutive or not (the output layer is not counted: a sigmoid output is
    normal). Reported on the first of them.
``zero-init``
    A hidden dense layer with the "zeros" initialiser. A warning when it
    cannot recover: with ReLU (weighted sums of 0, where ReLU has no slope, so
    no gradient ever arrives), or with 2+ units when the next dense layer is
    also zeros and no dropout lies between (its units get identical updates
    and stay copies). Otherwise info: the random layer after it (or dropout)
    does tell its units apart, only slowly. The output layer is quiet: a
    single zero-initialised layer is ordinary logistic regression, and
    different targets tell output units apart. Given ``network``, also a
    hidden dense layer of 2+ units whose units are exact copies now: identical
    incoming weight columns and biases, identical outgoing rows in the next
    dense layer, identical batch-norm scale and shift between, no dropout.
``unscaled-inputs``
    Given ``x``: features with ``|mean| >`` :data:`MAX_ABS_MEAN` or
    ``std >`` :data:`MAX_STD` (warning), and non-constant features with
    ``std <`` :data:`MIN_STD` (info). One warning each kind, naming the features.
``too-many-params``
    Given ``n_train`` (training rows): more than
    :data:`MAX_PARAMS_PER_ROW` trainable parameters per row.
``dead-relu``
    Given ``network`` and ``x``: per dense ReLU layer, units whose output is
    0 on every row of ``x`` in inference mode. At most :data:`DEAD_RELU_ROWS`
    rows are used, spread evenly over ``x`` (not the first ones: a CSV sorted
    by class would hide units that fire only on the last class), and no more
    than fit in :data:`DEAD_RELU_MACS` multiply-adds, so that the check stays
    cheap enough to run while a big network trains; a network with more than
    ``DEAD_RELU_MACS / MIN_DEAD_RELU_ROWS`` multiply-adds per row is not checked.

Warnings come ordered by layer (``None`` first), then by rule in the order above.

:func:`lint_run` is what the window, ``nnviz train`` and ``nnviz info`` call:
it gives :func:`lint` everything a run would see, from the training settings
and the rows it would train on (:func:`training_rows`, measured once per
dataset).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .counting import count
from .datasets import Dataset, DatasetError
from .losses import LOSS_LABELS, resolve_loss
from .numbers import plural, prose
from .spec import BatchNormSpec, DenseSpec, DropoutSpec, NetworkSpec
from .training import TrainConfig

RULES: dict[str, str] = {
    "softmax-hidden": "Softmax on a hidden layer",
    "linear-collapse": "Linear layers that collapse into one",
    "output-mismatch": "Output that does not fit the loss or the task",
    "vanishing-gradients": "Many sigmoid or tanh layers",
    "zero-init": "Units that start identical",
    "unscaled-inputs": "Inputs far from standardised",
    "too-many-params": "More parameters than training rows can pin down",
    "dead-relu": "ReLU units that never fire",
}
_RULE_ORDER = {code: i for i, code in enumerate(RULES)}

SEVERITIES = ("warning", "info")

# Five saturating layers: even at its steepest a sigmoid passes a quarter of
# the gradient, and 0.25**5 is about 0.001 before the weights shrink it further.
VANISHING_LAYERS = 5
# Playground's toy inputs span about [-6, 6] (std up to ~3.5) and train well
# unstandardised, so the limits sit well outside that: they catch raw columns
# such as prices, years or centimetres, not the toy sets.
MAX_ABS_MEAN = 3.0
MAX_STD = 10.0
MIN_STD = 0.01
# Ten parameters per training row is far past the usual rules of thumb (which
# ask for several rows per parameter): such a network can fit the rows by heart.
MAX_PARAMS_PER_ROW = 10
DEAD_RELU_ROWS = 2000
# A 784-300-100-10 network (266,200 multiply-adds a row) gets 375 rows: a unit that
# fires on 2% of the rows is still seen firing but for 1 time in 2,000. About 10 ms
# single-threaded, so the window can check a training network without missing frames.
DEAD_RELU_MACS = 100_000_000
MIN_DEAD_RELU_ROWS = 50
# Feature means and spreads are measured on this many training rows at most (spread
# evenly), once per dataset: exact for every shipped table, bounded for a big CSV.
SCALE_ROWS = 20_000

_SATURATING = ("sigmoid", "tanh")
_RELU_LIKE = ("relu", "leaky_relu", "elu", "gelu", "swish", "silu")
_MAX_NAMED_FEATURES = 6
# Where a learner turns standardisation on: the window's CSV import, the command line's flag.
_STANDARDISE = ("standardise the inputs (Import CSV's “Standardise features”, or nnviz train "
                "without --no-standardize).")


@dataclass(frozen=True)
class DesignWarning:
    """One design problem: a stable ``code`` from :data:`RULES`, where, and why.

    ``layer`` indexes ``spec.layers`` (0-based) or is ``None`` for the inputs or
    the whole network; ``message`` is one plain sentence that does not name its
    own layer (see :func:`format_warning`).
    """

    code: str
    layer: int | None
    message: str
    severity: str = "warning"

    def __post_init__(self):
        if self.code not in RULES:
            raise ValueError(f"unknown design-warning code {self.code!r}; known: {', '.join(RULES)}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {self.severity!r}")


def format_warning(w: DesignWarning) -> str:
    """``"layer 3: message"`` (layers counted from 1), or the message alone when ``w.layer`` is None."""
    return w.message if w.layer is None else f"layer {w.layer + 1}: {w.message}"


def lint(spec: NetworkSpec, *, loss: str = "auto", task: str | None = None,
         n_train: int | None = None, x=None, network=None) -> list[DesignWarning]:
    """Design warnings for ``spec``, ordered by layer (None first), then rule.

    ``loss`` is a loss name or "auto"; ``task`` is "classification",
    "regression" or None (unknown); ``n_train`` the number of training rows;
    ``x`` the inputs, shape (n, spec.inputs); ``network`` a
    :class:`~nnviz.core.network.Network` built from ``spec`` (its current,
    possibly trained, parameters). Rules that need an argument that is not
    given are skipped. See the module docstring for the rules and limits.

    Raises ``ValueError`` for arguments that do not fit ``spec`` (programmer
    errors) and ``KeyError`` for an unknown loss.
    """
    if task not in (None, "classification", "regression"):
        raise ValueError(f"task must be 'classification', 'regression' or None, got {task!r}")
    if n_train is not None and (isinstance(n_train, bool) or not isinstance(n_train, int | np.integer) or n_train < 0):
        raise ValueError(f"n_train must be a whole number of rows (0 or more), got {n_train!r}")
    if x is not None:
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x[None, :]
        if x.ndim != 2 or x.shape[1] != spec.inputs:
            raise ValueError(f"x must have shape (n, {spec.inputs}) for this network, got {x.shape}")
    if network is not None:
        _check_network(spec, network)
    scale = None if x is None or not len(x) else _Scale.of(x)
    return _lint(spec, loss, task, n_train, x, scale, network)


@dataclass(frozen=True, eq=False)
class _Scale:
    """Each feature's mean, standard deviation and range (max - min)."""

    mean: np.ndarray
    std: np.ndarray
    spread: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray) -> _Scale:
        with np.errstate(all="ignore"):
            return cls(x.mean(axis=0), x.std(axis=0), np.ptp(x, axis=0))


@dataclass(frozen=True, eq=False)
class TrainingRows:
    """What the lint needs to know of the rows a run trains on; see :func:`training_rows`.

    ``task`` is the data's task, ``count`` the number of training rows,
    ``x`` up to :data:`DEAD_RELU_ROWS` of them (as the network sees them,
    spread evenly over the file's order) for the weight checks.
    """

    task: str
    count: int
    x: np.ndarray
    scale: _Scale | None


def _spread(rows: np.ndarray, most: int) -> np.ndarray:
    """At most ``most`` of ``rows``, sorted and spread evenly (the first, and then every k-th)."""
    rows = np.sort(rows)
    return rows[:: max(1, math.ceil(len(rows) / most))][:most]


def training_rows(data: Dataset, training: TrainConfig) -> TrainingRows:
    """The rows of ``data`` that a run with ``training``'s validation split and seed trains on, for :func:`lint_run`.

    Measures the features' scale (on at most :data:`SCALE_ROWS` rows) and keeps a
    sample of rows; about 0.1 s for 60,000 rows of 784 features, so a window keeps
    the result while the data and the split stay the same.
    """
    try:
        rows, _ = data.split_rows(training.val_split, training.seed)
    except DatasetError:  # no rows left to train on: Train says so; the lint looks at all of them
        rows = np.arange(data.n_samples)
    scale = _Scale.of(data.x[_spread(rows, SCALE_ROWS)]) if len(rows) else None
    return TrainingRows(data.task, len(rows), data.x[_spread(rows, DEAD_RELU_ROWS)], scale)


def lint_run(spec: NetworkSpec, training: TrainConfig, rows: TrainingRows | None = None,
             network=None) -> list[DesignWarning]:
    """Every design warning for training ``network`` (built from ``spec``; None: skip the weight checks)
    with ``training``'s loss on ``rows`` (from :func:`training_rows`; None: no data chosen).

    The data's task, its number of training rows, its features' scale and the
    weights on its rows feed the rules; rows whose width is not ``spec.inputs``
    (training would refuse them) feed only the task and the row count.
    """
    if network is not None:
        _check_network(spec, network)
    if rows is None:
        return _lint(spec, training.loss, None, None, None, None, network)
    fits = rows.x.shape[1] == spec.inputs and len(rows.x)
    return _lint(spec, training.loss, rows.task, rows.count, rows.x if fits else None,
                 rows.scale if fits else None, network)


def _lint(spec, loss, task, n_train, x, scale, network) -> list[DesignWarning]:
    out_index = output_index(spec)
    loss = resolve_loss(loss, spec.output_activation(), spec.outputs, task=task)

    found: list[DesignWarning] = []
    found += _softmax_hidden(spec, out_index)
    found += _linear_collapse(spec)
    found += _output_mismatch(spec, out_index, loss, task)
    found += _vanishing_gradients(spec, out_index)
    found += _zero_init(spec, out_index, network)
    if scale is not None:
        found += _unscaled_inputs(scale)
    if n_train:
        found += _too_many_params(spec, int(n_train))
    if network is not None and x is not None and len(x):
        found += _dead_relu(network, x)
    found.sort(key=lambda w: (w.layer is not None, w.layer or 0, _RULE_ORDER[w.code]))
    return found


# ----------------------------------------------------------------- helpers

def _check_network(spec: NetworkSpec, network) -> None:
    theirs = network.spec
    if theirs.widths() != spec.widths() or [l.kind for l in theirs.layers] != [l.kind for l in spec.layers]:
        raise ValueError("network was built from a different spec (other layer kinds or sizes); "
                         "rebuild it from this spec")


def output_index(spec: NetworkSpec) -> int | None:
    """Index of the output layer: the last layer with an activation (dense or batch norm); ``None`` if none has one."""
    for i in range(len(spec.layers) - 1, -1, -1):
        if isinstance(spec.layers[i], DenseSpec | BatchNormSpec):
            return i
    return None


def _next_dense(spec: NetworkSpec, i: int) -> tuple[int | None, list[int]]:
    """Index of the first dense layer after ``i``, and the indices of the layers between."""
    between = []
    for j in range(i + 1, len(spec.layers)):
        if isinstance(spec.layers[j], DenseSpec):
            return j, between
        between.append(j)
    return None, between


def _suggested_init(activation: str) -> str:
    return "he_uniform" if activation in _RELU_LIKE else "xavier_uniform"


def _and_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


# ------------------------------------------------------------------- rules

def _softmax_hidden(spec, out_index):
    for i, layer in enumerate(spec.layers):
        if i != out_index and getattr(layer, "activation", None) == "softmax":
            yield DesignWarning(
                "softmax-hidden", i,
                "Softmax on a hidden layer forces its units to compete and sum to 1, which throws "
                "information away; use ReLU or tanh here and keep softmax for the output.")


def _linear_collapse(spec):
    for i, layer in enumerate(spec.layers):
        if not (isinstance(layer, DenseSpec) and layer.activation == "linear"):
            continue
        j = i + 1
        while j < len(spec.layers) and isinstance(spec.layers[j], DropoutSpec):
            j += 1
        if j < len(spec.layers) and isinstance(spec.layers[j], DenseSpec):
            yield DesignWarning(
                "linear-collapse", i,
                f"A linear layer feeding straight into another dense layer (layer {j + 1}) adds nothing, "
                "because two linear steps in a row collapse into one layer; give this layer a "
                "non-linear activation such as ReLU or tanh.")


def _output_mismatch(spec, out_index, loss, task):
    if out_index is None:
        return []
    act = spec.layers[out_index].activation
    units = spec.widths()[out_index + 1]
    loss_label = LOSS_LABELS[loss]

    def warn(message, severity="warning"):
        return [DesignWarning("output-mismatch", out_index, message, severity)]

    if act == "softmax" and units == 1:
        return warn("A softmax over a single unit always outputs 1.0 whatever the input, so nothing can "
                    "be learned; use sigmoid for one yes/no output, or one unit per class with softmax.")
    if task == "regression" and loss in ("bce", "cce"):
        return warn(f"{loss_label.capitalize()} is a loss for class labels, not for measured values; "
                    "for regression use mean squared error with a linear output.")
    if loss == "bce" and act != "sigmoid":
        why = ("makes the outputs compete and sum to 1, while binary cross-entropy treats each as its own yes/no"
               if act == "softmax" else "does not give probabilities between 0 and 1")
        return warn(f"Binary cross-entropy needs a sigmoid output, and {act} {why}; "
                    "make this layer sigmoid, or use softmax with categorical cross-entropy.")
    if loss == "cce" and act != "softmax":
        why = ("gives probabilities that do not sum to 1 across the classes" if act == "sigmoid"
               else "does not give probabilities that sum to 1")
        return warn(f"Categorical cross-entropy needs a softmax output, and {act} {why}; "
                    "make this layer softmax.")
    if task == "regression" and act == "softmax":
        return warn("A softmax output makes the outputs sum to 1, which measured values almost never do; "
                    "use a linear output for regression.")
    if task == "regression" and act in _SATURATING:
        low = "0" if act == "sigmoid" else "-1"
        return warn(f"A {act} output can only give values between {low} and 1, so targets outside that range "
                    "are out of reach; use a linear output unless every target lies inside it.", "info")
    if task == "classification" and loss == "mse" and act not in ("sigmoid", "softmax"):
        return warn(f"A {act} output with mean squared error can learn classes, but a sigmoid output "
                    "(two classes) or softmax (more) with cross-entropy gives probabilities and "
                    "usually learns faster.", "info")
    return []


def _vanishing_gradients(spec, out_index):
    hits = [i for i, layer in enumerate(spec.layers)
            if i != out_index and isinstance(layer, DenseSpec) and layer.activation in _SATURATING]
    if len(hits) >= VANISHING_LAYERS:
        yield DesignWarning(
            "vanishing-gradients", hits[0],
            f"This is the first of {len(hits)} hidden layers with sigmoid or tanh, and each one shrinks "
            "the gradient on its way back (a sigmoid passes at most a quarter of it), so the early "
            "layers will barely learn; use ReLU in the hidden layers, or fewer layers.")


def _zero_init(spec, out_index, network):
    flagged = set()
    for i, layer in enumerate(spec.layers):
        if i == out_index or not isinstance(layer, DenseSpec) or layer.initializer != "zeros":
            continue
        flagged.add(i)
        init = _suggested_init(layer.activation)
        j, between = _next_dense(spec, i)
        dropout_between = any(isinstance(spec.layers[k], DropoutSpec) and spec.layers[k].rate > 0
                              for k in between)
        if layer.activation == "relu":
            yield DesignWarning(
                "zero-init", i,
                "With every weight starting at zero, each weighted sum here is 0, where ReLU outputs 0 "
                f"and has no slope, so this layer never gets a gradient and never learns; use {init}.")
        elif layer.units > 1 and j is not None and spec.layers[j].initializer == "zeros" and not dropout_between:
            yield DesignWarning(
                "zero-init", i,
                f"Every weight into this layer and out of it (into layer {j + 1}) starts at zero, so its "
                "units start identical, get identical updates and stay copies of each other for good; "
                f"initialise this layer with {init}.")
        else:
            yield DesignWarning(
                "zero-init", i,
                "Every weight into this layer starts at zero, so its units begin as copies of each other "
                f"and rely on the layers around them to tell them apart, which slows learning; use {init}.",
                "info")
    if network is None:
        return
    for i, layer in enumerate(spec.layers):
        if i in flagged or i == out_index or not isinstance(layer, DenseSpec) or layer.units < 2:
            continue
        if _copies(network, spec, i):
            yield DesignWarning(
                "zero-init", i,
                "All units of this layer have the same weights in and out, so they compute the same thing, "
                "get the same updates and will stay copies of each other; re-initialise the network "
                f"with a random initialiser such as {_suggested_init(layer.activation)}.")


def _same(a: np.ndarray, axis: int) -> bool:
    first = a[:, :1] if axis == 1 else a[:1]
    return bool(np.all(a == first))


def _copies(network, spec, i) -> bool:
    """Whether the units of dense layer ``i`` are exact copies that training cannot tell apart."""
    params = network.layer_params(i)
    if not (_same(params["weights"], axis=1) and np.all(params["bias"] == params["bias"][0])):
        return False
    j, between = _next_dense(spec, i)
    if j is None:
        return False
    for k in between:
        between_layer = spec.layers[k]
        if isinstance(between_layer, DropoutSpec):
            if between_layer.rate > 0:  # random masks differ per unit
                return False
        else:
            state = network.layer_params(k)
            if not (np.all(state["gamma"] == state["gamma"][0]) and np.all(state["beta"] == state["beta"][0])):
                return False
    return _same(network.layer_params(j)["weights"], axis=0)


def _feature_list(indices) -> str:
    names = [str(int(k) + 1) for k in indices[:_MAX_NAMED_FEATURES]]
    if len(indices) > _MAX_NAMED_FEATURES:
        names.append(f"{len(indices) - _MAX_NAMED_FEATURES} more")
    return ("Input feature " if len(indices) == 1 else "Input features ") + _and_list(names)


def _unscaled_inputs(scale: _Scale):
    mean, std, spread = scale.mean, scale.std, scale.spread
    far = np.flatnonzero((np.abs(mean) > MAX_ABS_MEAN) | (std > MAX_STD))
    if len(far):
        badness = np.maximum(np.abs(mean[far]), std[far])
        worst = far[int(np.argmax(badness))]
        detail = f"mean {prose(mean[worst], 0.001)}, standard deviation {prose(std[worst], 0.001)}"
        if len(far) > 1:
            detail = f"feature {worst + 1} has {detail}"
        verb = "is" if len(far) == 1 else "are"
        yield DesignWarning(
            "unscaled-inputs", None,
            f"{_feature_list(far)} {verb} far from standardised ({detail}), which makes training slow "
            "or unstable; " + _STANDARDISE)
    flat = np.flatnonzero((std < MIN_STD) & (spread > 0))
    if len(flat):
        worst = flat[int(np.argmin(std[flat]))]
        detail = f"standard deviation {prose(std[worst])}"
        if len(flat) > 1:
            detail = f"feature {worst + 1} has {detail}"
        verb, pronoun = ("varies", "it") if len(flat) == 1 else ("vary", "them")
        yield DesignWarning(
            "unscaled-inputs", None,
            f"{_feature_list(flat)} {verb} very little ({detail}), so the weights on {pronoun} get tiny "
            "gradients and learn slowly; " + _STANDARDISE,
            "info")


def _too_many_params(spec, n_train):
    params = count(spec).params
    if params > MAX_PARAMS_PER_ROW * n_train:
        yield DesignWarning(
            "too-many-params", None,
            f"The network has {plural(params, 'trainable parameter')} for only "
            f"{plural(n_train, 'training row')} (more than {MAX_PARAMS_PER_ROW} per row), "
            "so it can memorise the training set instead of learning the pattern; use fewer or smaller "
            "layers, more data, dropout or L2.")


def _dead_relu(network, x):
    most = min(DEAD_RELU_ROWS, DEAD_RELU_MACS // max(1, count(network.spec).macs))
    if most < MIN_DEAD_RELU_ROWS:
        return
    step = max(1, math.ceil(len(x) / most))
    rows = x[::step][:most]
    with np.errstate(all="ignore"):
        steps = network.trace(rows)
    for i, layer in enumerate(network.layers):
        if layer.kind != "dense" or layer.spec.activation != "relu":
            continue
        a = steps[i]["a"]
        dead = int(np.count_nonzero(~(a != 0).any(axis=0)))  # NaN counts as firing
        units = a.shape[1]
        if dead == 0:
            continue
        if dead == units:
            subject = "Its only ReLU unit never fires" if units == 1 else f"All {units} ReLU units never fire"
            message = (f"{subject} on these inputs (output 0 for every row), so this layer passes no signal "
                       "forward and no gradient back; lower the learning rate, use leaky ReLU, "
                       "or re-initialise.")
        else:
            verb = "fires" if dead == 1 else "fire"
            message = (f"{dead} of {units} ReLU units never {verb} on these inputs (output 0 for every row), "
                       "so they get no gradient and their weights stop changing; a lower learning rate or "
                       "leaky ReLU keeps units alive.")
        yield DesignWarning("dead-relu", i, message)
