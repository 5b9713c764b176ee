"""The command line: ``nnviz info | predict | train | export | examples``, headless.

Wherever a network FILE goes, ``example:NAME`` names a shipped example (``nnviz examples`` lists them).

``info``, ``predict``, ``train`` and ``export`` to PyTorch code never load Qt;
``export`` to a picture loads it only when it runs, offscreen when there is no display.

Every error a person can cause (a bad file, bad flags, bad data) prints one
line on stderr and exits with status 2; nothing is written unless the command
succeeded.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from . import __version__, desktop
from .core import TrainConfig, TrainingError
from .core.counting import count
from .core.numbers import human_bytes, human_count, percent, significant
from .core.datasets import DatasetError
from .core.memory import MemoryBudgetError
from .core.fileformat import FileFormatError, load
from .core.fileformat.embedded import is_figure_path
from .core.outputs import output_labels, predicted_class
from .core.project import DatasetRecord, Project
from .core.lint import DesignWarning, format_warning, lint_run, training_rows
from .core.losses import LOSSES
from .core.optimizers import OPTIMIZER_NAMES
from .core.shipped import EXAMPLE_PREFIX, UnknownNameError, is_shipped_example, resolve_network, summarize_datasets, summarize_examples
from .core.spec import SpecError
from .cli_figure import FigureArgumentError, add_figure_arguments, check_output, export_figure


class UserError(Exception):
    """Something the user can fix; printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UserError(f"{message} (see '{self.prog} --help')")


FILE_HELP = f"a .nnviz file, or {EXAMPLE_PREFIX}NAME for a shipped example (see 'nnviz examples')"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nnviz",
        description="Build a neural network, train it with NumPy and watch it learn. "
        "With no command, nnviz opens its window; these commands work with no display.",
    )
    parser.add_argument("--version", action="version", version=f"nnviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("info", help="show a network's layers, parameters, memory and design warnings")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument("--dataset", metavar="NAME|PATH.csv",
                   help="check the design on this data too: its task, rows and input scale, and the weights on it")
    p.add_argument("--target", metavar="COL", help="the CSV column to predict (default: the last one; with --dataset)")
    p.add_argument("--no-standardize", action="store_true", help="feed the features as they are (with --dataset)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = sub.add_parser("predict", help="run the network on one input")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument("--input", required=True, metavar="X1,X2,…", help="comma-separated input values (raw, before standardisation)")
    p.add_argument("--trace", action="store_true", help="show each layer's weighted sums and activations")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("train", help="train a network on a dataset and save it")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument(
        "--dataset",
        metavar="NAME|PATH.csv",
        help="a built-in dataset or a CSV file (default: the dataset the file records)",
    )
    p.add_argument("--target", metavar="COL", help="the CSV column to predict (default: the last one; with --dataset)")
    p.add_argument("--epochs", type=int, metavar="N")
    p.add_argument("--batch-size", type=int, metavar="N")
    p.add_argument("--optimizer", choices=OPTIMIZER_NAMES)
    p.add_argument("--loss", choices=("auto", *LOSSES), help="the loss (default: the file's); auto picks it from the output layer and the targets")
    p.add_argument("--lr", type=float, metavar="X", help="learning rate")
    p.add_argument("--seed", type=int, metavar="N")
    p.add_argument("--val-split", type=float, metavar="F", help="fraction held out for validation (0 to 0.9)")
    p.add_argument("--clip-norm", type=float, metavar="X",
                   help="gradient clipping: shorten each step's gradient to at most this length (0: off)")
    p.add_argument("--no-standardize", action="store_true", help="feed the features as they are (with --dataset)")
    p.add_argument("--out", metavar="FILE", help="where to write the trained network (default: FILE itself)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser(
        "export",
        help="draw a network as a figure (PNG, SVG, PDF, TikZ), or write it as PyTorch code (no display needed)",
        description="Draw a network (neurons, weight-coloured connections, labels, legend) as a figure, "
        "or write it as a PyTorch module with its trained weights (.py). The format follows OUT's extension. "
        "PNG and SVG figures keep the network inside: nnviz opens them again (FILE may be one).",
    )
    p.add_argument("file", metavar="FILE", help=FILE_HELP + ", or a PNG or SVG figure nnviz exported")
    p.add_argument("-o", "--out", required=True, metavar="OUT.png|.svg|.pdf|.tex|.py",
                   help="the figure (.tex: a TikZ picture) or the PyTorch code to write")
    add_figure_arguments(p)

    p = sub.add_parser("examples", help="list the example networks and datasets that ship with nnviz, by name")
    p.add_argument("--json", action="store_true", help="print JSON")

    desktop.add_command(sub)  # install-desktop
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    _printable_streams()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        if getattr(args, "file", None) is not None:
            args.source = args.file  # as the user wrote it, for messages
            args.file = _network_path(args.file)
        with warnings.catch_warnings():
            # NumPy warns (and carries on with inf or NaN) where a number is out of range: that is a
            # wrong number, so it ends the command with a message instead of lines of NumPy text.
            warnings.simplefilter("error", RuntimeWarning)
            return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"nnviz: {exc}", file=sys.stderr)
        return 2
    except MemoryBudgetError as exc:
        print(f"nnviz: {exc}; nothing was written", file=sys.stderr)
        return 2
    except MemoryError:
        # The guard estimates what nnviz allocates; the rest of the machine may still run short.
        print("nnviz: out of memory; close other programs or make the network's layers smaller; "
              "nothing was written", file=sys.stderr)
        return 2
    except RuntimeWarning as exc:
        print(f"nnviz: a number went out of range ({exc}): a value in the input, the data or the file is "
              "too large for the float32 numbers nnviz computes with; use smaller values. Nothing was written",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nnviz: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``nnviz info FILE | head -3``): stop quietly, as Unix tools do.
        # stdout is pointed at /dev/null so that Python's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _printable_streams() -> None:
    """Text that cannot be encoded (a lone surrogate in a name, UTF-8 on a Latin-1 terminal) prints as escapes."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # not a text stream we can reconfigure
            pass


def _network_path(argument: str) -> str:
    try:
        return resolve_network(argument)
    except UnknownNameError as exc:
        raise UserError(str(exc)) from None


def _load(path: str) -> Project:
    try:
        return Project.load(path)
    except FileFormatError as exc:
        raise UserError(f"{path}: {exc}") from None


def _emit_json(data) -> None:
    print(json.dumps(data, indent=2))


# -- info ----------------------------------------------------------------------


def cmd_info(args) -> int:
    try:
        nf = load(args.file)
    except FileFormatError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    data = _data_argument(args, nf.training.seed)
    try:
        # Only saved weights, or data to run them on, need a network; the shape alone may be too big to build.
        network = Project.from_file(nf, args.file).network if nf.has_arrays() or data is not None else None
    except FileFormatError as exc:
        raise UserError(f"{args.file}: {exc}") from None
    counts = count(nf.spec)
    # Training refuses data of another width; the design checks then see only its task and rows.
    misfit = None
    if data is not None and data.n_features != nf.spec.inputs:
        misfit = (f"the data has {data.n_features} feature(s) but the network has {nf.spec.inputs} input(s): "
                  f"training would refuse it; set the input size to {data.n_features}")
    warnings = lint_run(nf.spec, nf.training, None if data is None else training_rows(data, nf.training), network)
    if args.json:
        _emit_json(
            {
                "name": nf.spec.name,
                "inputs": nf.spec.inputs,
                "layers": [vars(layer) | {"index": layer.index + 1} for layer in counts.layers],
                "params": counts.params,
                "bytes_float32": counts.memory_bytes(4),
                "bytes_float16": counts.memory_bytes(2),
                "macs": counts.macs,
                "params_formula": counts.formula(),
                "warnings": [_warning_json(w) for w in warnings],
                "data_error": misfit,
            }
        )
        return 0
    title = nf.spec.name or Path(args.file).stem
    print(f"{title}: {nf.spec.inputs} inputs, {len(nf.spec.layers)} layers")
    rows = [("#", "layer", "units", "activation", "params", "mult-adds")]
    rows.append(("", "input", str(nf.spec.inputs), "", "", ""))
    for c in counts.layers:
        rows.append((str(c.index + 1), c.kind, str(c.units), c.activation or "", f"{c.params:,}", f"{c.macs:,}"))
    rows.append(("", "total", "", "", f"{counts.params:,}", f"{counts.macs:,}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.rjust(w) if i in (0, 2, 4, 5) else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths))).rstrip())
    print(
        f"parameters: {counts.formula()} ({human_bytes(counts.memory_bytes(4))} as float32, "
        f"{human_bytes(counts.memory_bytes(2))} as float16); "
        f"multiply-adds per forward pass: {human_count(counts.macs)}"
    )
    if misfit:
        print(f"data: {misfit}")
    _print_warnings("design warnings:", warnings)
    return 0


def _data_argument(args, seed: int):
    """The data ``--dataset`` (with ``--target`` and ``--no-standardize``) names, or None without ``--dataset``."""
    if args.dataset is None:
        if args.target is not None or args.no_standardize:
            flag = "--target" if args.target is not None else "--no-standardize"
            raise UserError(f"{flag}: only with --dataset")
        return None
    try:
        return DatasetRecord.from_argument(args.dataset, target=args.target, seed=seed,
                                           standardize=not args.no_standardize).load()
    except DatasetError as exc:
        raise UserError(str(exc)) from None


def _warning_json(w: DesignWarning) -> dict:
    return {"code": w.code, "layer": None if w.layer is None else w.layer + 1, "severity": w.severity, "message": w.message}


def _print_warnings(title: str, warnings: list[DesignWarning], file=None) -> None:
    if warnings:
        print(title, file=file)
        for w in warnings:
            print(f"  - {format_warning(w)}", file=file)


# -- predict -------------------------------------------------------------------


def _parse_input(text: str, expected: int) -> np.ndarray:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        bad = next(p for p in parts if not _is_float(p))
        raise UserError(f"--input: {bad!r} is not a number; give {expected} comma-separated numbers") from None
    if len(values) != expected:
        raise UserError(f"--input: the network has {expected} inputs, got {len(values)} values")
    if not all(math.isfinite(v) for v in values):
        raise UserError("--input: values must be finite numbers")
    return np.array(values)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def cmd_predict(args) -> int:
    project = _load(args.file)
    raw = _parse_input(args.input, project.spec.inputs)
    x = project.standardize(raw)
    steps = project.trace(raw)
    output = steps[-1]["a"][0].astype(float)
    names = output_labels(project.output_names, len(output))
    result = {"input": raw.tolist(), "output": dict(zip(names, output.tolist()))}
    if project.standardization is not None:
        result["standardized_input"] = x.tolist()
    predicted = predicted_class(output, project.spec.output_activation(), project.output_names)
    if project.output_names and predicted is not None:
        result["predicted"] = predicted
    if args.trace:
        result["trace"] = _trace(project, x, steps)
    if args.json:
        _emit_json(result)
        return 0
    fmt = lambda values: "[" + ", ".join(significant(v, 6) for v in values) + "]"  # noqa: E731
    print(f"input  {fmt(raw)}")
    if project.standardization is not None:
        print(f"standardised {fmt(x)}")
    if args.trace:
        _print_trace(result["trace"], standardized=project.standardization is not None)
    for name, value in result["output"].items():
        print(f"{name} = {significant(value, 6)}")
    if "predicted" in result:
        print(f"predicted: {result['predicted']}")
    return 0


TRACE_WEIGHTS_MAX = 64  # a layer's weights and biases are shown by --trace up to this many numbers


def _trace(project: Project, x: np.ndarray, steps: list[dict]) -> list[dict]:
    """Each layer's computation for one input: what comes in, its weights and biases when few, z and a."""
    rows = []
    incoming = x
    for i, (layer, step) in enumerate(zip(project.spec.layers, steps)):
        row = {"layer": i + 1, "type": layer.kind, "activation": getattr(layer, "activation", None),
               "x": np.asarray(incoming, dtype=float).ravel().tolist()}
        params = project.network.layer_params(i)
        if layer.kind == "dense" and params["weights"].size + params["bias"].size <= TRACE_WEIGHTS_MAX:
            row["weights"] = params["weights"].astype(float).tolist()
            row["bias"] = params["bias"].astype(float).tolist()
        row["z"] = step["z"][0].astype(float).tolist()
        row["a"] = step["a"][0].astype(float).tolist()
        rows.append(row)
        incoming = step["a"][0]
    return rows


def _print_trace(trace: list[dict], standardized: bool) -> None:
    """The trace as the arithmetic a learner would write: x, W, b, z = x·W + b, a = f(z), layer by layer.

    Eight significant digits, about what NumPy prints, so the numbers can be
    checked against one's own code.
    """
    fmt = lambda values: "[" + ", ".join(significant(v, 8) for v in values) + "]"  # noqa: E731
    for t in trace:
        act = f" {t['activation']}" if t["activation"] else ""
        fan_in, units = len(t["x"]), len(t["a"])
        print(f"layer {t['layer']} ({t['type']}{act}), {fan_in} → {units}")
        first = "the standardised input" if standardized else "the input"
        source = first if t["layer"] == 1 else f"layer {t['layer'] - 1}'s a"
        print(f"  x = {fmt(t['x'])}  ({source})")
        if "weights" in t:
            rows = [fmt(row) for row in t["weights"]]
            print(f"  W = [{rows[0]}" + "".join(f",\n       {r}" for r in rows[1:]) + f"]  ({fan_in}×{units}: row i holds input i's weights)")
            print(f"  b = {fmt(t['bias'])}")
        elif t["type"] == "dense":
            print(f"  W, b: {fan_in}×{units} weights and {units} biases (too many to list)")
        if t["type"] == "dense":
            print(f"  z = {fmt(t['z'])}  (x·W + b)")
        elif t["type"] == "batchnorm":
            print(f"  z = {fmt(t['z'])}  (γ·(x − mean)/√(var + ε) + β)")
        if t["type"] == "dropout":
            print(f"  a = {fmt(t['a'])}  (x, passed on when predicting)")
        else:
            print(f"  a = {fmt(t['a'])}  ({t['activation']}(z))")


# -- train ---------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, total_epochs: int):
        self.total = total_epochs
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def update(self, epoch: int, loss: float, val_loss, acc, force=False):
        now = time.monotonic()
        if not force and now - self.last < (0.1 if self.tty else 2.0):
            return
        self.last = now
        width = 30
        filled = int(width * epoch / self.total)
        text = f"epoch {epoch}/{self.total} [{'#' * filled}{'.' * (width - filled)}] loss {significant(loss)}"
        if val_loss is not None:
            text += f"  val loss {significant(val_loss)}"
        if acc is not None:
            text += f"  val acc {percent(acc)}"
        print(("\r" + text) if self.tty else text, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def close(self):
        if self.tty:
            print(file=sys.stderr)


def _training_config(base: TrainConfig, args) -> TrainConfig:
    overrides = {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "optimizer": args.optimizer,
        "loss": args.loss,
        "learning_rate": args.lr,
        "seed": args.seed,
        "val_split": args.val_split,
        "clip_norm": args.clip_norm,
    }
    if args.clip_norm is not None and not 0 <= args.clip_norm <= 1e6:  # NaN too
        raise UserError(f"--clip-norm: give the longest a step's gradient may be, a number from 0 (no clipping) "
                        f"to 1,000,000; got {args.clip_norm:g}")
    data = base.to_dict() | {k: v for k, v in overrides.items() if v is not None}
    try:
        return TrainConfig.from_dict(data)
    except SpecError as exc:
        flag = "--" + exc.where.removeprefix("training.").replace("_", "-").replace("learning-rate", "lr")
        raise UserError(f"{flag}: {exc.rule}") from None


def cmd_train(args) -> int:
    if args.out is None and (args.source.startswith(EXAMPLE_PREFIX) or is_shipped_example(args.file)):
        raise UserError(f"{args.source} is a shipped example, which training does not write over; "
                        "give --out FILE for the trained network")
    if args.out is None and is_figure_path(args.file):
        raise UserError(f"{args.source} is a figure, which training does not write over; "
                        "give --out FILE.nnviz for the trained network")
    project = _load(args.file)
    out = Path(args.out or args.file)
    if out.is_dir():
        raise UserError(f"--out: {out} is a folder; give a file name")
    project.training = _training_config(project.training, args)
    if args.dataset is None:
        if args.target is not None or args.no_standardize:
            flag = "--target" if args.target is not None else "--no-standardize"
            raise UserError(f"{flag}: only with --dataset (the file's own dataset is used as it is recorded)")
        if project.dataset is None:
            raise UserError(f"{args.file} records no dataset to train on; give one with --dataset NAME|PATH.csv")
    try:
        if args.dataset is not None:
            project.dataset = DatasetRecord.from_argument(
                args.dataset, target=args.target, seed=project.training.seed, standardize=not args.no_standardize
            )
        data = project.load_dataset()
        trainer = project.trainer(data)
    except (DatasetError, TrainingError) as exc:
        raise UserError(str(exc)) from None

    # On stderr, beside the progress: stdout keeps the result (and --json its JSON alone).
    before = project.lint(data)
    _print_warnings("design warnings:", before, sys.stderr)
    epochs = project.training.epochs
    started_at = project.epochs_done
    progress = _Progress(epochs)
    t0 = time.perf_counter()
    for step in trainer.steps():
        if step.epoch_done:
            h = trainer.history
            progress.update(trainer.epoch, h.train_loss[-1], h.val_loss[-1], h.val_accuracy[-1], trainer.epoch == epochs)
    progress.close()
    seconds = time.perf_counter() - t0
    if trainer.status == "diverged":
        raise UserError(f"{trainer.message} Nothing was written.")

    project.apply_run(trainer.net.copy_params(), trainer.history, started_at)
    project.adopt_data(data, project.dataset)
    after = project.lint(data)  # what the trained weights show (ReLU units that died while training)
    _print_warnings("design warnings after training:", [w for w in after if w not in before], sys.stderr)
    try:
        project.save(out)
    except FileFormatError as exc:
        raise UserError(f"cannot write {out}: {exc}") from None
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None

    h = trainer.history
    last = {k: getattr(h, k)[-1] for k in ("epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy")}
    summary = {"out": str(out), "epochs": trainer.epoch, "steps": trainer.step_count, "seconds": round(seconds, 3)} | last
    summary["warnings"] = [_warning_json(w) for w in after]
    if args.json:
        _emit_json(summary)
    else:
        text = f"trained {trainer.epoch} epochs ({trainer.step_count} steps, {seconds:.1f} s): loss {significant(last['train_loss'])}"
        if last["val_loss"] is not None:
            text += f", validation loss {significant(last['val_loss'])}"
        if last["val_accuracy"] is not None:
            text += f", validation accuracy {percent(last['val_accuracy'])}"
        print(text)
        print(f"wrote {out}")
    return 0


# -- export --------------------------------------------------------------------


def cmd_export(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() == ".py":
        return _export_torch(args, out)
    try:
        check_output(out, args.scale)
        print(export_figure(args, _load(args.file)))
    except FigureArgumentError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    return 0


def _export_torch(args, out: Path) -> int:
    from .core.torch_code import TorchCodeError, write_torch_module

    if out.is_dir():
        raise UserError(f"-o: {out} is a folder; give a file name")
    project = _load(args.file)
    try:
        written = write_torch_module(project, out)
    except TorchCodeError as exc:
        raise UserError(f"cannot write PyTorch code for {args.file}: {exc}") from None
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {' and '.join(map(str, written))} (a torch.nn.Module; PyTorch is needed to run it)")
    return 0


# -- examples ------------------------------------------------------------------


def cmd_examples(args) -> int:
    examples, datasets = summarize_examples(), summarize_datasets()
    if args.json:
        _emit_json({
            "examples": [{"name": e.name, "title": e.title, "sizes": e.sizes} for e in examples],
            "datasets": [vars(d) for d in datasets],
        })
        return 0
    print(f"Example networks: give {EXAMPLE_PREFIX}NAME wherever a network file goes")
    _print_columns([(e.name, e.sizes, e.title) for e in examples])
    print(f"  e.g. nnviz info {EXAMPLE_PREFIX}{examples[0].name}, or nnviz {EXAMPLE_PREFIX}{examples[0].name} to open a copy in the window")
    print()
    print("Datasets: give NAME to nnviz train FILE --dataset NAME, or choose it in the window's Training dock")
    _print_columns([(d.name, f"{d.rows:,} × {d.features}", _task(d), d.description) for d in datasets])
    return 0


def _task(dataset) -> str:
    return f"{dataset.task}, {dataset.classes} classes" if dataset.classes else dataset.task


def _print_columns(rows) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1])


COMMANDS = {"info": cmd_info, "predict": cmd_predict, "train": cmd_train, "export": cmd_export, "examples": cmd_examples,
            "install-desktop": desktop.cmd_install_desktop}
