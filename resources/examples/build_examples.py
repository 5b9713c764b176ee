"""Rebuild the example networks: ``python resources/examples/build_examples.py [NAME ...]``.

With names, only those examples are rebuilt (the others keep their bytes).

Each example is a lesson. Some ship trained (so the canvas shows learned
weights and ``nnviz predict`` gives sensible answers), the others ship freshly
initialised, ready to be trained in front of a class.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
from nnviz.core.datasets import TOY_DATASETS
from nnviz.core.project import DatasetRecord, Project

HERE = Path(__file__).resolve().parent


def dense(units, activation, init=None):
    return DenseSpec(units, activation, init or ("he_uniform" if "relu" in activation else "xavier_uniform"))


def tutorial_weights():
    """The weights a from-scratch NumPy tutorial draws, exactly as its code draws them.

    Its forward pass is ``z1 = x @ W1; a1 = sigmoid(z1); z2 = a1 @ W2; sigmoid(z2)`` with zero biases:
    W[inputs, units], nnviz's own layout, so the draws go in as they are.
    """
    np.random.seed(42)
    w1 = np.random.randn(2, 2)
    w2 = np.random.randn(2, 1)
    return [{"weights": w1, "bias": np.zeros(2)}, {"weights": w2, "bias": np.zeros(1)}]


def example(name, spec, config, dataset=None, train_epochs=0, input_names=("x1", "x2"), output_names=None,
            params=None, probe=None):
    network = Network(spec, seed=config.seed, dtype=config.dtype)
    if params is not None:
        network.load_params(params)
    project = Project(
        network,
        training=config,
        input_names=list(input_names) if input_names else None,
        output_names=output_names,
    )
    if dataset is not None:
        if dataset in TOY_DATASETS:
            record = DatasetRecord(dataset, n_samples=500, noise=0.0, seed=config.seed)
        else:
            record = DatasetRecord(dataset)
        data = record.load()
        # What training on it records (names, standardisation), so that the
        # file opens on data that fits it and shows the data's own names.
        project.adopt_data(data, record)
        if data.standardization is not None:
            # The table's first sample, in its own units: all ones would be no flower at all, and the
            # mean would give every hidden unit of a fresh network (biases 0) exactly nothing.
            project.probe = DatasetRecord(dataset, standardize=False).load().x[0]
        if train_epochs:
            trainer = project.trainer(project.load_dataset())
            for _ in trainer.steps(train_epochs):
                pass
            project.apply_run(trainer.net.copy_params(), trainer.history, project.epochs_done)
    if probe is not None:
        project.probe = np.asarray(probe, dtype=np.float64)
    project.save(HERE / f"{name}.nnviz")
    print(f"{name}: {len(project.history)} epochs trained")


EXAMPLES = {}


def builds(name):
    """Register the function that builds example ``name``."""
    def register(build):
        EXAMPLES[name] = build
        return build
    return register


@builds("relu_2-4-4-1_circle")
def _relu_circle():
    example(
        "relu_2-4-4-1_circle",
        NetworkSpec(2, (dense(4, "relu"), dense(4, "relu"), dense(1, "sigmoid")), name="2-4-4-1 ReLU on the circle"),
        TrainConfig(optimizer="adam", learning_rate=0.03, batch_size=10, epochs=200, seed=1),
        dataset="circle",
        train_epochs=100,
    )


@builds("tutorial_2-2-1_sigmoid_xor")
def _tutorial():
    # float64, no standardisation (XOR is not standardised) and the probe at the tutorial's input, so
    # the canvas, the inspector and `nnviz predict --trace` show the tutorial's own numbers. Re-drawing
    # weights takes normal draws of about the tutorial's spread (Glorot's, since N(0, 1) is not offered).
    example(
        "tutorial_2-2-1_sigmoid_xor",
        NetworkSpec(
            2,
            (dense(2, "sigmoid", "xavier_normal"), dense(1, "sigmoid", "xavier_normal")),
            name="2-2-1 sigmoid with a NumPy tutorial's seed-42 weights",
        ),
        TrainConfig(optimizer="sgd", learning_rate=0.5, batch_size=1, epochs=300, loss="mse", seed=0, dtype="float64"),
        dataset="xor",
        params=tutorial_weights(),
        probe=[0.5, 0.8],
    )


@builds("iris_4-8-3_softmax")
def _iris():
    example(
        "iris_4-8-3_softmax",
        NetworkSpec(4, (dense(8, "relu"), dense(3, "softmax")), name="4-8-3 softmax classifier for the Iris flowers"),
        TrainConfig(optimizer="adam", learning_rate=0.01, batch_size=16, epochs=100, seed=0),
        dataset="iris",
        input_names=None,
    )


@builds("spiral_deep_tanh")
def _spiral():
    example(
        "spiral_deep_tanh",
        NetworkSpec(2, tuple(dense(8, "tanh") for _ in range(6)) + (dense(1, "sigmoid"),), name="Deep tanh network for the spiral"),
        TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=10, epochs=300, seed=0),
        dataset="spiral",
    )


@builds("single_neuron_xor")
def _single_neuron():
    example(
        "single_neuron_xor",
        NetworkSpec(2, (dense(1, "sigmoid"),), name="A single neuron cannot learn XOR"),
        TrainConfig(optimizer="adam", learning_rate=0.03, batch_size=10, epochs=200, seed=0),
        dataset="xor",
        train_epochs=200,
    )


@builds("vanishing_gradients_8_sigmoid")
def _vanishing():
    example(
        "vanishing_gradients_8_sigmoid",
        NetworkSpec(2, tuple(dense(8, "sigmoid", "normal") for _ in range(7)) + (dense(1, "sigmoid", "normal"),), name="8 sigmoid layers: vanishing gradients"),
        TrainConfig(optimizer="sgd", learning_rate=0.1, batch_size=10, epochs=200, seed=0),
        dataset="circle",
    )


def main(names=None):
    unknown = set(names or ()) - set(EXAMPLES)
    if unknown:
        sys.exit(f"no example called {', '.join(sorted(unknown))}; choose from {', '.join(EXAMPLES)}")
    for name in names or EXAMPLES:
        EXAMPLES[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
