"""The ``.nnviz`` file: a network, its parameters and how it was trained, as JSON.

A file is one JSON object (UTF-8), written with the top-level keys one per line
and every weight row on one line, so that it is readable and diffs well::

    {
      "format": "nnviz",
      "version": 1,
      "name": "xor",
      "inputs": 2,
      "input_names": ["x1", "x2"],                       (optional)
      "output_names": ["no", "yes"],                     (optional)
      "standardization": {"mean": [...], "std": [...]},  (optional)
      "probe": [0.5, 0.8],                               (optional: the raw probe input, one per input)
      "layers": [
        {"type": "dense", "units": 4, "activation": "relu", "initializer": "he_uniform",
         "weights": [[...], [...]], "bias": [...]},      (arrays optional)
        {"type": "dropout", "rate": 0.2},
        {"type": "batchnorm", "momentum": 0.1, "eps": 1e-05, "activation": "linear",
         "gamma": [...], "beta": [...], "running_mean": [...], "running_var": [...]}
      ],
      "training": {...},                                 (optional, TrainConfig.to_dict())
      "dataset": {...},                                  (optional, JSON scalars only)
      "history": {                                       (optional, History.to_dict())
        "epoch": [1, 2], "train_loss": [...], ...,       (one list per line)
        "grad_norms": [                                  (one row per epoch, one line each:
          [0.52, null, 0.31],                             a number per layer, null without parameters)
          ...
        ]
      },
      "figure_style": {"direction": "up", ...}           (optional: how its figures look, FigureStyle.to_dict();
                                                          written only when not the "default" preset)
    }

Reading checks everything and names the first broken rule with its place
(``layers[0].weights[2][1]: must be a finite number, got "abc"``); writing runs
the same checks first, so nnviz never writes a file it would refuse to read.
Files without ``grad_norms``, ``probe`` or ``figure_style`` read as well (null
norms, no probe, the default figure style); a ``figure_style`` that breaks a
style rule is refused like any other entry, naming its field.

A PNG or SVG figure nnviz exported carries its network's file inside
(:mod:`.embedded`); :func:`load` reads it from such a figure too.

Numbers round-trip exactly. float64 arrays are written with Python's float
repr. float32 arrays are written as the shortest decimal that reads back (as a
double, then cast to float32) to the same float32, so ``0.1`` rather than
``0.10000000149011612``; every such value is checked and falls back to the
float32's exact float64 repr should the short form ever not read back.

Modules: :mod:`.network_file` (what a file holds), :mod:`.reading` (parse and
check), :mod:`.writing` (layout, number encoding, atomic save).
"""

from .network_file import FORMAT_VERSION, FileFormatError, NetworkFile
from .reading import load, loads
from .writing import dumps, save

__all__ = ["FORMAT_VERSION", "FileFormatError", "NetworkFile", "dumps", "load", "loads", "save"]
