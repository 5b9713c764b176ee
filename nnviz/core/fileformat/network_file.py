"""What a ``.nnviz`` file holds (:class:`NetworkFile`), its error, and the layout rules reading and writing share."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from ..datasets import Standardization
from ..figure.style import FigureStyle
from ..keyframes import Keyframes
from ..network import Network
from ..spec import NetworkSpec
from ..training import History, TrainConfig

FORMAT_VERSION = 1

# Arrays a layer may carry, in file order.
LAYER_ARRAYS = {
    "dense": ("weights", "bias"),
    "dropout": (),
    "batchnorm": ("gamma", "beta", "running_mean", "running_var"),
}
# Keys a layer must have (fixed by the format, even where the spec has a default).
REQUIRED_LAYER_KEYS = {"dense": ("units", "activation"), "dropout": (), "batchnorm": ()}
# Running statistics are float64 in every network; everything else takes the training dtype.
FLOAT64_ARRAYS = ("running_mean", "running_var")
TOP_KEYS = (
    "format",
    "version",
    "name",
    "inputs",
    "input_names",
    "output_names",
    "standardization",
    "probe",
    "layers",
    "training",
    "dataset",
    "history",
    "timeline",
    "figure_style",
)
HISTORY_KEYS = tuple(f.name for f in fields(History))


class FileFormatError(ValueError):
    """A ``.nnviz`` file (or a save) breaks a rule; ``str()`` is ``"<where>: <rule>"``.

    ``where`` names the place in the file (``layers[2].units``), or is empty
    when the problem is the file as a whole (not JSON, not an nnviz file, …).
    """

    def __init__(self, where: str, rule: str):
        super().__init__(f"{where}: {rule}" if where else rule)
        self.where = where
        self.rule = rule


@dataclass
class NetworkFile:
    """Everything a ``.nnviz`` file holds.

    ``params`` has one entry per layer, shaped like :meth:`Network.layer_state`
    (``weights``/``bias``, or ``gamma``/``beta``/``running_mean``/``running_var``);
    an entry is ``None``, or lacks keys, where the file had no arrays. Loaded
    parameter arrays have the training dtype; running statistics are float64.
    ``dataset`` is the file's dataset entry as JSON scalars (see
    :class:`nnviz.core.project.DatasetRecord`); ``probe`` the raw probe input;
    ``timeline`` the training timeline's keyframes (state vectors, see
    :mod:`nnviz.core.keyframes`), written only on request; ``figure_style``
    how its figures look (None: the "default" preset, which is not written).
    """

    spec: NetworkSpec
    params: list[dict[str, np.ndarray] | None]
    training: TrainConfig = field(default_factory=TrainConfig)
    dataset: dict | None = None
    history: History = field(default_factory=History)
    standardization: Standardization | None = None
    input_names: list[str] | None = None
    output_names: list[str] | None = None
    probe: np.ndarray | None = None
    timeline: Keyframes | None = None  # the kept epochs' weights, when the file keeps them
    figure_style: FigureStyle | None = None

    def has_arrays(self) -> bool:
        """Whether any layer has saved arrays (a weightless file describes only the shape)."""
        return any(state for state in self.params or ())

    def build_network(self) -> Network:
        """A :class:`Network` with the spec, the training seed and dtype, and every saved array.

        Layers without saved arrays keep their fresh initialisation; a dense
        layer saved with weights but no bias gets a zero bias.
        """
        net = Network(self.spec, seed=self.training.seed, dtype=self.training.dtype)
        for i, state in enumerate(self.params):
            arrays = {k: v for k, v in (state or {}).items() if v is not None}
            if self.spec.layers[i].kind == "dense" and "weights" in arrays and "bias" not in arrays:
                arrays["bias"] = np.zeros(self.spec.layers[i].units)
            if arrays:
                net.set_layer_state(i, **arrays)
        return net

    @classmethod
    def from_network(cls, network: Network, **rest) -> "NetworkFile":
        """A file for ``network`` (its spec and a copy of its parameters) plus ``rest``.

        The training dtype is set to the network's, so that loading the file
        rebuilds the same network bit for bit.
        """
        training = rest.pop("training", None) or TrainConfig()
        if training.dtype != network.dtype.name:
            training = replace(training, dtype=network.dtype.name)
        return cls(spec=network.spec, params=network.copy_params(), training=training, **rest)
