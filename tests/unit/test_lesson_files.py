"""Lesson files: the shipped ones read, a malformed one refused naming its file and field, steps matched,
challenges judged and scored."""

import json

import pytest

from nnviz.core.lessons import EVENTS, AppEvent, Challenge, Condition, LessonError, judge, load_lesson, load_lessons
from nnviz.core.spec import DenseSpec, NetworkSpec

GOOD = {
    "title": "T", "example": "single_neuron_xor", "summary": "S", "text": ["A paragraph."],
    "steps": [{"do": "Press Step.", "done_when": {"event": "step"}}],
}


def write(tmp_path, content, name="lesson.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_every_shipped_lesson_reads_and_names_a_known_event():
    lessons, problems = load_lessons()
    assert not problems and len(lessons) >= 10
    for lesson in lessons:
        assert lesson.text and (lesson.steps or lesson.challenge)
        assert all(step.done_when.event in EVENTS for step in lesson.steps)


@pytest.mark.parametrize("change, where, words", [
    (lambda d: d.pop("title"), "title", "is missing"),
    (lambda d: d.update(example="spiral_deep"), "example", "did you mean \"spiral_deep_tanh\""),
    (lambda d: d["steps"][0]["done_when"].update(event="stepped"), "steps[0].done_when.event", "did you mean \"step\""),
    (lambda d: d["steps"][0].update(done_when={"event": "trained", "epochs": "ten"}), "steps[0].done_when.epochs",
     "must be a whole number"),
    (lambda d: d["steps"][0].update(done_when={"event": "action", "name": "Explode"}), "steps[0].done_when.name",
     "is not one of"),
    (lambda d: d["steps"][0].update(done_when={"event": "action"}), "steps[0].done_when.name", "is missing"),
    (lambda d: d.update(colour="red"), "colour", "is not a field nnviz knows"),
    (lambda d: d.update(challenge={"goal": "g", "val_accuracy": 95}), "challenge.val_accuracy", "0.95 for 95%"),
    (lambda d: d.update(steps=[]), "steps", "needs at least one step"),
])
def test_a_malformed_lesson_is_refused_naming_its_file_and_field(tmp_path, change, where, words):
    data = json.loads(json.dumps(GOOD))
    change(data)
    with pytest.raises(LessonError) as caught:
        load_lesson(write(tmp_path, data))
    message = str(caught.value)
    assert message.startswith(f"lesson.json, {where}: ") and words in message


def test_broken_json_says_where(tmp_path):
    with pytest.raises(LessonError, match=r"lesson.json, line 1, column \d+: is not valid JSON"):
        load_lesson(write(tmp_path, '{"title": "T",, }'))


def test_a_broken_file_does_not_hide_the_others(tmp_path):
    write(tmp_path, GOOD, "a.json")
    write(tmp_path, "{", "b.json")
    lessons, problems = load_lessons(tmp_path)
    assert [lesson.name for lesson in lessons] == ["a"] and problems[0].path.name == "b.json"


def test_a_condition_matches_only_the_facts_it_names():
    changed = Condition("activation_changed", {"layer": 2, "to": "linear"})
    assert changed.matches(AppEvent("activation_changed", {"layer": 2, "to": "linear"}))
    assert not changed.matches(AppEvent("activation_changed", {"layer": 1, "to": "linear"}))
    assert not changed.matches(AppEvent("units_changed", {"layer": 2, "to": 8}))
    assert Condition("trained", {"epochs": 30}).matches(AppEvent("trained", {"epochs": 31}))
    assert not Condition("trained", {"epochs": 30}).matches(AppEvent("trained", {"epochs": 29}))
    assert Condition("loss", {"below": 0.1}).matches(AppEvent("loss", {"value": 0.05}))
    assert Condition("setting_changed", {"setting": "learning_rate", "to": 0.01}).matches(
        AppEvent("setting_changed", {"setting": "learning_rate", "to": 0.1 / 10}))


def test_a_challenge_scores_fewer_neurons_and_epochs_higher():
    challenge = Challenge("g", 0.95, dataset="spiral", max_hidden_neurons=16, per_hidden_neuron=2, per_epoch=0.05)
    small = NetworkSpec(2, (DenseSpec(8), DenseSpec(8), DenseSpec(1, "sigmoid")))
    big = NetworkSpec(2, (DenseSpec(16), DenseSpec(8), DenseSpec(1, "sigmoid")))
    passed = judge(challenge, small, 0.96, 200, "spiral")
    assert passed.passed and passed.score == 100 - 2 * 16 - 10
    assert judge(challenge, small, 0.96, 100, "spiral").score > passed.score
    assert not judge(challenge, small, 0.90, 200, "spiral").passed
    too_big = judge(challenge, big, 0.99, 200, "spiral")
    assert not too_big.passed and too_big.score == 0 and "24 hidden neurons" in too_big.message
    assert "spiral" in judge(challenge, small, 0.99, 200, "xor").message
