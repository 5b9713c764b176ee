"""Rebuild the example networks: ``python resources/examples/build_examples.py``.

Each example is a lesson. Some ship trained (so the canvas shows learned
weights and ``nnviz predict`` gives sensible answers), the others ship freshly
initialised, ready to be trained in front of a class.
"""

from __future__ import annotations

from pathlib import Path

from nnviz.core import DenseSpec, Network, NetworkSpec, TrainConfig
from nnviz.core.datasets import TOY_DATASETS
from nnviz.core.project import DatasetRecord, Project

HERE = Path(__file__).resolve().parent


def dense(units, activation, init=None):
    return DenseSpec(units, activation, init or ("he_uniform" if "relu" in activation else "xavier_uniform"))


def example(name, spec, config, dataset=None, train_epochs=0, input_names=("x1", "x2"), output_names=None):
    project = Project(
        Network(spec, seed=config.seed),
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
    project.save(HERE / f"{name}.nnviz")
    print(f"{name}: {len(project.history)} epochs trained")


def main():
    example(
        "relu_2-4-4-1_circle",
        NetworkSpec(2, (dense(4, "relu"), dense(4, "relu"), dense(1, "sigmoid")), name="2-4-4-1 ReLU on the circle"),
        TrainConfig(optimizer="adam", learning_rate=0.03, batch_size=10, epochs=200, seed=1),
        dataset="circle",
        train_epochs=100,
    )
    example(
        "tutorial_2-2-1_sigmoid_xor",
        NetworkSpec(
            2,
            (dense(2, "sigmoid", "uniform"), dense(1, "sigmoid", "uniform")),
            name="2-2-1 sigmoid, as in a from-scratch NumPy tutorial",
        ),
        TrainConfig(optimizer="sgd", learning_rate=0.5, batch_size=1, epochs=300, loss="mse", seed=0),
        dataset="xor",
    )
    example(
        "iris_4-8-3_softmax",
        NetworkSpec(4, (dense(8, "relu"), dense(3, "softmax")), name="4-8-3 softmax classifier for the Iris flowers"),
        TrainConfig(optimizer="adam", learning_rate=0.01, batch_size=16, epochs=100, seed=0),
        dataset="iris",
        input_names=None,
    )
    example(
        "spiral_deep_tanh",
        NetworkSpec(2, tuple(dense(8, "tanh") for _ in range(6)) + (dense(1, "sigmoid"),), name="Deep tanh network for the spiral"),
        TrainConfig(optimizer="adam", learning_rate=0.003, batch_size=10, epochs=300, seed=0),
        dataset="spiral",
    )
    example(
        "single_neuron_xor",
        NetworkSpec(2, (dense(1, "sigmoid"),), name="A single neuron cannot learn XOR"),
        TrainConfig(optimizer="adam", learning_rate=0.03, batch_size=10, epochs=200, seed=0),
        dataset="xor",
        train_epochs=200,
    )
    example(
        "vanishing_gradients_8_sigmoid",
        NetworkSpec(2, tuple(dense(8, "sigmoid", "normal") for _ in range(7)) + (dense(1, "sigmoid", "normal"),), name="8 sigmoid layers: vanishing gradients"),
        TrainConfig(optimizer="sgd", learning_rate=0.1, batch_size=10, epochs=200, seed=0),
        dataset="circle",
    )


if __name__ == "__main__":
    main()
