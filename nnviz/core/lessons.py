"""Lessons and challenges: JSON files a teacher writes by hand, read and checked here.

A lesson opens one shipped example, explains it in a few paragraphs, asks the
learner to do things in the window (each step names what the app notices when
it is done: an :class:`AppEvent` from the fixed vocabulary :data:`EVENTS`),
and asks checkpoint questions whose answers are revealed on request. A
lesson may carry a challenge: a goal the app checks after every epoch and
scores (see :func:`judge`). ``resources/lessons/README.md`` describes the
format for teachers.

Nothing here knows Qt: the window turns what a person does into
:class:`AppEvent` values, and :meth:`Condition.matches` decides whether a
step is done.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .lint import RULES
from .shipped import did_you_mean, example_names, resources_root
from .spec import DenseSpec, NetworkSpec
from .training import TrainConfig

LESSON_SUFFIX = ".json"


class LessonError(ValueError):
    """A lesson file that cannot be used; ``str()`` names the file, the field and what to write instead."""

    def __init__(self, path: Path | str, where: str, problem: str):
        self.path = Path(path)
        self.where = where
        self.problem = problem
        place = f"{self.path.name}, {where}" if where else self.path.name
        super().__init__(f"{place}: {problem}")


@dataclass(frozen=True)
class Param:
    """A parameter of a step's condition: the fact it compares, how, and its type."""

    fact: str
    compare: str  # "==", ">=" or "<"
    kind: type


def _equal(fact, wanted) -> bool:
    # A number typed into a spin box (a learning rate of 0.01) need not be the JSON's float to the last bit.
    if isinstance(fact, float) and isinstance(wanted, (int, float)) and not isinstance(wanted, bool):
        return math.isclose(fact, wanted, rel_tol=1e-9, abs_tol=1e-12)
    return fact == wanted


_COMPARE = {"==": _equal, ">=": operator.ge, "<": operator.lt}

# Actions and views a lesson may ask for, by the name the window gives them (actionColorByGradients,
# the dock dockHiddenSpace). The window test checks that each one exists.
ACTION_NAMES = ("ColorByGradients", "AnimateGradientFlow", "NeuronHeatmaps", "ColorBlindColors", "ResetTraining",
                "StepEpoch", "Fit", "ExportImage")
VIEW_NAMES = ("Boundary", "Plots", "Warnings", "Inspector", "Layers", "Training", "Palette", "HiddenSpace")

# The vocabulary of "done when": event name -> (what it means, its parameters). Every parameter is
# optional unless listed in _REQUIRED; a condition without parameters matches any such event.
EVENTS: dict[str, tuple[str, dict[str, Param]]] = {
    "step": ("Step (F10) or Epoch (Ctrl+F10) was pressed", {}),
    "trained": ("this many epochs were trained since the lesson opened",
                {"epochs": Param("epochs", ">=", int)}),
    "val_accuracy": ("an epoch ended with at least this validation accuracy (0 to 1)",
                     {"at_least": Param("value", ">=", float)}),
    "train_accuracy": ("an epoch ended with at least this training accuracy (0 to 1)",
                       {"at_least": Param("value", ">=", float)}),
    "loss": ("an epoch ended with a training loss below this", {"below": Param("value", "<", float)}),
    "activation_changed": ("a layer's activation was changed (layers count from 1, the input is 0)",
                           {"layer": Param("layer", "==", int), "to": Param("to", "==", str)}),
    "initializer_changed": ("a layer was re-initialised with another initialiser",
                            {"layer": Param("layer", "==", int), "to": Param("to", "==", str)}),
    "units_changed": ("a layer's number of units was changed",
                      {"layer": Param("layer", "==", int), "to": Param("to", "==", int)}),
    "layer_added": ("a layer was added", {"kind": Param("kind", "==", str)}),
    "layer_removed": ("a layer was removed", {"kind": Param("kind", "==", str)}),
    "neuron_selected": ("a neuron was selected on the canvas", {"layer": Param("layer", "==", int)}),
    "layer_selected": ("a layer, or a neuron of it, was selected", {"layer": Param("layer", "==", int)}),
    "probe_changed": ("the probe input was changed in the inspector", {}),
    "action": ("a View or Training action was used (a toggle: switched on)", {"name": Param("name", "==", str)}),
    "view_opened": ("a panel was brought into sight", {"view": Param("view", "==", str)}),
    "timeline_scrubbed": ("the timeline was dragged back to an earlier epoch", {}),
    "warning_shown": ("the design warnings show this rule", {"code": Param("code", "==", str)}),
    "dataset_changed": ("another dataset was chosen", {"to": Param("to", "==", str)}),
    "setting_changed": ("a training setting was changed",
                        {"setting": Param("setting", "==", str), "to": Param("to", "==", object)}),
}
_REQUIRED = {"action": ("name",), "view_opened": ("view",), "setting_changed": ("setting",)}
_CHOICES = {("action", "name"): ACTION_NAMES, ("view_opened", "view"): VIEW_NAMES,
            ("warning_shown", "code"): tuple(RULES), ("layer_added", "kind"): ("dense", "dropout", "batchnorm"),
            ("layer_removed", "kind"): ("dense", "dropout", "batchnorm"),
            ("setting_changed", "setting"): tuple(TrainConfig.__dataclass_fields__)}


@dataclass(frozen=True)
class AppEvent:
    """Something a person did or the app saw, with its facts (``{"layer": 2, "to": "tanh"}``)."""

    name: str
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    """When a step is done: an event name and the parameters its facts must meet."""

    event: str
    params: dict = field(default_factory=dict)

    def matches(self, event: AppEvent) -> bool:
        """Whether ``event`` completes this condition."""
        if event.name != self.event:
            return False
        rules = EVENTS[self.event][1]
        for name, wanted in self.params.items():
            rule = rules[name]
            if rule.fact not in event.facts or not _COMPARE[rule.compare](event.facts[rule.fact], wanted):
                return False
        return True


@dataclass(frozen=True)
class Step:
    do: str  # what the learner does, in Markdown
    done_when: Condition


@dataclass(frozen=True)
class Question:
    ask: str
    answer: str


@dataclass(frozen=True)
class Challenge:
    """A goal checked after every epoch: validation accuracy on a dataset within a budget of hidden neurons.

    Score: 100 points, less ``per_hidden_neuron`` for each hidden neuron and
    ``per_epoch`` for each epoch trained (never below 0): fewer neurons and
    fewer epochs score higher.
    """

    goal: str
    val_accuracy: float
    dataset: str | None = None
    max_hidden_neurons: int | None = None
    per_hidden_neuron: float = 5.0
    per_epoch: float = 0.1
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    """One lesson file, read and checked."""

    path: Path
    title: str
    example: str
    summary: str
    text: tuple[str, ...]
    steps: tuple[Step, ...]
    questions: tuple[Question, ...] = ()
    challenge: Challenge | None = None

    @property
    def name(self) -> str:
        """The file's name without ``.json``: how the lesson is known (and sorted)."""
        return self.path.stem


@dataclass(frozen=True)
class Verdict:
    """How a network stands against a challenge."""

    passed: bool
    score: int  # 0 unless passed
    hidden_neurons: int
    epochs: int
    val_accuracy: float | None
    message: str  # one sentence for the learner


def hidden_neurons(spec: NetworkSpec) -> int:
    """The units of every dense layer but the output one."""
    dense = [layer.units for layer in spec.layers if isinstance(layer, DenseSpec)]
    return sum(dense[:-1])


def judge(challenge: Challenge, spec: NetworkSpec, val_accuracy: float | None, epochs: int,
          dataset: str | None) -> Verdict:
    """Check the newest epoch (its validation accuracy, after ``epochs`` epochs on ``dataset``) against ``challenge``."""
    neurons = hidden_neurons(spec)

    def verdict(passed: bool, message: str) -> Verdict:
        score = max(0, round(100 - challenge.per_hidden_neuron * neurons - challenge.per_epoch * epochs)) if passed else 0
        return Verdict(passed, score, neurons, epochs, val_accuracy, message)

    if challenge.dataset is not None and dataset != challenge.dataset:
        return verdict(False, f"This challenge is on the {challenge.dataset} data; choose it in the Training panel.")
    if challenge.max_hidden_neurons is not None and neurons > challenge.max_hidden_neurons:
        return verdict(False, f"The network has {neurons} hidden neurons; the challenge allows at most "
                              f"{challenge.max_hidden_neurons}. Remove some.")
    if val_accuracy is None:
        return verdict(False, "Not trained yet in this challenge: press Train (validation accuracy is what counts, so keep a validation split above 0).")
    if val_accuracy < challenge.val_accuracy:
        return verdict(False, f"Validation accuracy {val_accuracy:.1%}; the goal is {challenge.val_accuracy:.0%}.")
    return verdict(True, f"Done: {val_accuracy:.1%} validation accuracy with {neurons} hidden "
                         f"neuron{'s' if neurons != 1 else ''} after {epochs:,} epoch{'s' if epochs != 1 else ''}.")


# -- reading files -------------------------------------------------------------


def lessons_folder() -> Path:
    """The shipped lessons' folder."""
    return resources_root() / "lessons"


def load_lessons(folder: Path | None = None) -> tuple[list[Lesson], list[LessonError]]:
    """Every lesson file in ``folder`` (default: the shipped ones), sorted by file name, and the
    problems of those that cannot be used (a broken file does not hide the others)."""
    lessons, problems = [], []
    for path in sorted(Path(folder or lessons_folder()).glob(f"*{LESSON_SUFFIX}")):
        try:
            lessons.append(load_lesson(path))
        except LessonError as exc:
            problems.append(exc)
    return lessons, problems


def load_lesson(path: Path | str) -> Lesson:
    """Read and check one lesson file; raises :class:`LessonError` naming the file and the field."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LessonError(path, "", f"cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise LessonError(path, "", "is not UTF-8 text; save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise LessonError(path, f"line {exc.lineno}, column {exc.colno}",
                          f"is not valid JSON ({exc.msg}); check the commas and quotes there") from exc
    return _Reader(path).lesson(raw)


class _Reader:
    """Checks one file's fields, naming each one (``steps[2].done_when.event``) in its errors."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str):
        raise LessonError(self.path, where, problem)

    def _get(self, obj: dict, key: str, where: str, kind, required: bool = True, default=None):
        place = f"{where}.{key}" if where else key
        if key not in obj:
            if required:
                self.fail(place, f"is missing; add \"{key}\"")
            return default
        value = obj[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(place, f"must be {_KIND_NAMES[kind]}, not {json.dumps(value)[:40]}")
        if kind is str and not value.strip():
            self.fail(place, "is empty")
        return value

    def _strings(self, obj: dict, key: str, where: str = "", required: bool = True) -> tuple[str, ...]:
        items = self._get(obj, key, where, list, required, [])
        place = f"{where}.{key}" if where else key
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{place}[{i}]", "must be a non-empty text in quotes")
        return tuple(items)

    def _objects(self, obj: dict, key: str, required: bool = True) -> list[dict]:
        items = self._get(obj, key, "", list, required, [])
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self.fail(f"{key}[{i}]", "must be an object in braces { }")
        return items

    def _no_unknown(self, obj: dict, known, where: str) -> None:
        for key in obj:
            if key not in known:
                self.fail(f"{where}.{key}" if where else key,
                          f"is not a field nnviz knows{did_you_mean(key, known)}; the fields are {', '.join(known)}")

    def lesson(self, raw) -> Lesson:
        if not isinstance(raw, dict):
            self.fail("", "must hold one object in braces { } with the lesson's fields")
        self._no_unknown(raw, ("title", "example", "summary", "text", "steps", "questions", "challenge"), "")
        example = self._get(raw, "example", "", str)
        if example not in example_names():
            self.fail("example", f'"{example}" is no shipped example{did_you_mean(example, example_names())}; '
                                 f"'nnviz examples' lists them")
        steps = []
        for i, item in enumerate(self._objects(raw, "steps")):
            where = f"steps[{i}]"
            self._no_unknown(item, ("do", "done_when"), where)
            steps.append(Step(self._get(item, "do", where, str), self.condition(item, where)))
        questions = []
        for i, item in enumerate(self._objects(raw, "questions", required=False)):
            where = f"questions[{i}]"
            self._no_unknown(item, ("ask", "answer"), where)
            questions.append(Question(self._get(item, "ask", where, str), self._get(item, "answer", where, str)))
        challenge = self.challenge(raw["challenge"]) if "challenge" in raw else None
        if not steps and challenge is None:
            self.fail("steps", "is empty; a lesson needs at least one step (or a challenge)")
        return Lesson(self.path, self._get(raw, "title", "", str), example, self._get(raw, "summary", "", str),
                      self._strings(raw, "text"), tuple(steps), tuple(questions), challenge)

    def condition(self, item: dict, where: str) -> Condition:
        where = f"{where}.done_when"
        raw = self._get(item, "done_when", where.rsplit(".", 1)[0], dict)
        event = self._get(raw, "event", where, str)
        if event not in EVENTS:
            self.fail(f"{where}.event", f'"{event}" is not an event nnviz notices{did_you_mean(event, EVENTS)}; '
                                        f"see resources/lessons/README.md")
        rules = EVENTS[event][1]
        params = {}
        for key, value in raw.items():
            if key == "event":
                continue
            if key not in rules:
                allowed = ", ".join(rules) or "none"
                self.fail(f"{where}.{key}", f'is not a parameter of "{event}" (its parameters: {allowed})')
            kind = rules[key].kind
            params[key] = value if kind is object else self._get(raw, key, where, kind)
            choices = _CHOICES.get((event, key))
            if choices and value not in choices:
                self.fail(f"{where}.{key}", f'"{value}" is not one of {", ".join(choices)}{did_you_mean(str(value), choices)}')
        for key in _REQUIRED.get(event, ()):
            if key not in params:
                self.fail(f"{where}.{key}", f'is missing; "{event}" needs it')
        return Condition(event, params)

    def challenge(self, raw) -> Challenge:
        where = "challenge"
        if not isinstance(raw, dict):
            self.fail(where, "must be an object in braces { }")
        known = ("goal", "val_accuracy", "dataset", "max_hidden_neurons", "per_hidden_neuron", "per_epoch", "hints")
        self._no_unknown(raw, known, where)
        accuracy = self._get(raw, "val_accuracy", where, float)
        if not 0 < accuracy <= 1:
            self.fail(f"{where}.val_accuracy", f"must be a fraction above 0 and at most 1 (0.95 for 95%), not {accuracy}")
        most = self._get(raw, "max_hidden_neurons", where, int, required=False)
        if most is not None and most < 0:
            self.fail(f"{where}.max_hidden_neurons", "must be 0 or more")
        return Challenge(self._get(raw, "goal", where, str), accuracy, self._get(raw, "dataset", where, str, False),
                         most, self._get(raw, "per_hidden_neuron", where, float, False, 5.0),
                         self._get(raw, "per_epoch", where, float, False, 0.1),
                         self._strings(raw, "hints", where, required=False))


_KIND_NAMES: dict[Any, str] = {str: "a text in quotes", int: "a whole number", float: "a number",
                               list: "a list in brackets [ ]", dict: "an object in braces { }"}
