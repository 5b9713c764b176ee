"""The engine of nnviz: pure NumPy and the standard library, usable with no display.

>>> from nnviz.core import NetworkSpec, DenseSpec, Network
>>> net = Network(NetworkSpec(2, (DenseSpec(4, "relu"), DenseSpec(1, "sigmoid"))), seed=0)
>>> net.predict([[0.5, 0.8]]).shape
(1, 1)
"""

from .counting import count
from .network import Network
from .project import DatasetRecord, Project
from .spec import BatchNormSpec, DenseSpec, DropoutSpec, NetworkSpec, SpecError
from .training import History, Snapshot, TrainConfig, Trainer, TrainingError, train

__all__ = [
    "BatchNormSpec",
    "DatasetRecord",
    "DenseSpec",
    "DropoutSpec",
    "History",
    "Network",
    "NetworkSpec",
    "Project",
    "Snapshot",
    "SpecError",
    "TrainConfig",
    "Trainer",
    "TrainingError",
    "count",
    "train",
]
