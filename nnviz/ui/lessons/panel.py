"""The Lessons dock: the list of lessons, and one lesson at a time with its steps ticking as they are done.

Opening a lesson opens its example as a new, unsaved network (the window
asks first about unsaved changes). The lesson's text, steps, questions and
challenge read top to bottom in a scrolling column that wraps to the dock's
width; Previous and Next move between lessons. Steps tick when the
:class:`~nnviz.ui.lessons.detector.Detector` notices what they ask for, in
any order; a step that waits for something already true (a view in sight, a
warning being read) ticks once the steps before it are done.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.lessons import AppEvent, Lesson, LessonError, Verdict, judge, load_lessons
from .. import settings
from ..model.document import Document
from ..widgets.labels import make_dim
from ..widgets.sections import Section, scroll_column, small_button
from .detector import Detector

DONE, TODO = "✓", "○"


def _text(markdown: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.MarkdownText)
    label.setText(markdown)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class StepRow(QWidget):
    """One step: a mark that turns into a tick when the app notices it done, and what to do."""

    def __init__(self, number: int, markdown: str, parent: QWidget | None = None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.mark = QLabel(TODO, self)
        self.mark.setFixedWidth(self.mark.fontMetrics().horizontalAdvance("✓✓"))
        self.mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.text = _text(f"{number}\\. {markdown}", self)  # escaped: "1." would start a Markdown list
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        self.set_done(False)

    def set_done(self, done: bool) -> None:
        self.done = done
        self.mark.setText(DONE if done else TODO)
        self.mark.setStyleSheet("color: #1a8f3c; font-weight: bold" if done else "")
        self.mark.setAccessibleName(self.tr("done") if done else self.tr("not done yet"))
        self.setToolTip(self.tr("Done") if done else self.tr("Not done yet: the tick appears when nnviz sees it done"))


class LessonsPanel(QWidget):
    """The lessons; ``open_example(name)`` opens a shipped example (False if the person cancelled)."""

    lesson_opened = Signal(str)  # the lesson's name
    step_ticked = Signal(int)  # the step's index in the open lesson

    def __init__(self, doc: Document, detector: Detector, open_example: Callable[[str], bool],
                 lessons: list[Lesson] | None = None, problems: list[LessonError] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lessonsPanel")
        self.doc = doc
        self.detector = detector
        self.open_example = open_example
        if lessons is None:
            lessons, problems = load_lessons()
        self.lessons, self.problems = lessons, problems or []
        self.current: Lesson | None = None
        self.rows: list[StepRow] = []
        self.verdict: Verdict | None = None
        self.hints_shown = 0
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.stack.addWidget(self._contents_page())
        self.lesson_page = QWidget()
        self.stack.addWidget(self.lesson_page)
        self._build_lesson_page()
        detector.noticed.connect(self._noticed)
        doc.history_changed.connect(self._judge)
        doc.spec_changed.connect(self._judge)

    # -- the list ------------------------------------------------------------------

    def _contents_page(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(10, 8, 10, 8)
        intro = _text(self.tr("Each lesson opens an example network, explains an idea in a few paragraphs and asks "
                              "you to try it in the window: the steps tick as nnviz sees you do them. Open one with a "
                              "double-click or Enter."), page)
        col.addWidget(intro)
        self.list = QListWidget(page)
        self.list.setObjectName("lessonsList")
        self.list.setAccessibleName(self.tr("Lessons"))
        self.list.setWordWrap(True)
        for i, lesson in enumerate(self.lessons):
            item = QListWidgetItem(f"{i + 1}. {lesson.title}")
            item.setToolTip(self.tr("{0}\n(example: {1})").format(lesson.summary, lesson.example))
            self.list.addItem(item)
        self.list.itemActivated.connect(lambda item: self.open_lesson(self.list.row(item)))
        col.addWidget(self.list, 1)
        if self.problems:
            broken = _text(self.tr("**Lessons that could not be read:**") + "\n\n"
                           + "\n\n".join(f"- {p}" for p in self.problems), page)
            broken.setObjectName("lessonProblems")
            broken.setStyleSheet("color: #b3261e")
            col.addWidget(broken)
        return page

    # -- one lesson ------------------------------------------------------------------

    def _build_lesson_page(self) -> None:
        outer = QVBoxLayout(self.lesson_page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll, self.column = scroll_column(self.lesson_page)
        outer.addWidget(self.scroll, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(10, 4, 10, 6)
        self.contents_button = small_button(self.tr("All lessons"), self.lesson_page)
        self.contents_button.setToolTip(self.tr("Back to the list of lessons"))
        self.contents_button.clicked.connect(self.show_contents)
        self.previous_button = small_button(self.tr("◀ Previous"), self.lesson_page)
        self.previous_button.setToolTip(self.tr("The lesson before this one"))
        self.previous_button.clicked.connect(lambda: self._go(-1))
        self.next_button = small_button(self.tr("Next ▶"), self.lesson_page)
        self.next_button.setToolTip(self.tr("The next lesson"))
        self.next_button.clicked.connect(lambda: self._go(+1))
        nav.addWidget(self.contents_button)
        nav.addStretch(1)
        nav.addWidget(self.previous_button)
        nav.addWidget(self.next_button)
        outer.addLayout(nav)

    def show_contents(self) -> None:
        self.stack.setCurrentIndex(0)
        self.list.setFocus()

    def _go(self, delta: int) -> None:
        index = self.lessons.index(self.current) + delta
        if 0 <= index < len(self.lessons):
            self.open_lesson(index)

    def open_lesson(self, index: int) -> bool:
        """Open lesson ``index``: its example (asking about unsaved changes first), then its text. False if cancelled."""
        lesson = self.lessons[index]
        if not self.open_example(lesson.example):
            return False
        self.current = lesson
        self.epochs_start = self.doc.project.epochs_done  # a challenge counts the epochs trained from here
        self.detector.restart()
        self._fill(lesson)
        self.stack.setCurrentIndex(1)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.lessons) - 1)
        self.list.setCurrentRow(index)
        self.scroll.verticalScrollBar().setValue(0)
        self.lesson_opened.emit(lesson.name)
        self._check_standing()
        self._judge()
        return True

    def _fill(self, lesson: Lesson) -> None:
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # out of sight and out of findChildren at once
                widget.deleteLater()
        body = self.column.parentWidget()
        title = QLabel(lesson.title, body)
        title.setObjectName("lessonTitle")
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        self.column.addWidget(title)
        example = make_dim(QLabel(self.tr("Example: {0} (opened as a new, unsaved network)").format(
            lesson.example.replace("_", " ")), body))
        example.setWordWrap(True)
        self.column.addWidget(example)
        for paragraph in lesson.text:
            self.column.addWidget(_text(paragraph, body))
        self.rows = []
        if lesson.steps:
            section = Section(self.tr("Try it"), body)
            for i, step in enumerate(lesson.steps):
                row = StepRow(i + 1, step.do, section)
                section.body.addWidget(row)
                self.rows.append(row)
            self.progress = make_dim(QLabel(section))
            section.body.addWidget(self.progress)
            self.column.addWidget(section)
            self._show_progress()
        if lesson.questions:
            section = Section(self.tr("Check yourself"), body)
            for question in lesson.questions:
                self._add_question(section, question.ask, question.answer)
            self.column.addWidget(section)
        self.challenge_section = None
        if lesson.challenge is not None:
            self._add_challenge(body, lesson)
        self.column.addStretch(1)

    def _add_question(self, section: Section, ask: str, answer: str) -> None:
        section.body.addWidget(_text(self.tr("**Q.** {0}").format(ask), section))
        reveal = small_button(self.tr("Show answer"), section)
        reveal.setToolTip(self.tr("Think of your answer first, then compare"))
        shown = _text(self.tr("**A.** {0}").format(answer), section)
        shown.hide()
        reveal.clicked.connect(lambda: (shown.show(), reveal.hide()))
        section.body.addWidget(reveal)
        section.body.addWidget(shown)

    def _add_challenge(self, body: QWidget, lesson: Lesson) -> None:
        challenge = lesson.challenge
        section = self.challenge_section = Section(self.tr("Challenge"), body)
        section.body.addWidget(_text(self.tr("**Goal:** {0}").format(challenge.goal), section))
        self.verdict_label = _text("", section)
        self.verdict_label.setObjectName("challengeVerdict")
        self.score_label = _text("", section)
        self.score_label.setObjectName("challengeScore")
        section.body.addWidget(self.verdict_label)
        section.body.addWidget(self.score_label)
        self.hints_shown = 0
        self.hint_labels = [_text(self.tr("**Hint {0}.** {1}").format(i + 1, hint), section)
                            for i, hint in enumerate(challenge.hints)]
        for label in self.hint_labels:
            label.hide()
            section.body.addWidget(label)
        self.hint_button = small_button(self.tr("Show a hint"), section)
        self.hint_button.setToolTip(self.tr("One hint at a time"))
        self.hint_button.clicked.connect(self.show_hint)
        self.hint_button.setVisible(bool(self.hint_labels))
        section.body.addWidget(self.hint_button)
        self.column.addWidget(section)

    def show_hint(self) -> None:
        """Reveal the next hint of the open challenge."""
        if self.hints_shown < len(self.hint_labels):
            self.hint_labels[self.hints_shown].show()
            self.hints_shown += 1
        self.hint_button.setEnabled(self.hints_shown < len(self.hint_labels))

    # -- progress ----------------------------------------------------------------------

    def step_done(self, index: int) -> bool:
        return self.rows[index].done

    def _noticed(self, event: AppEvent) -> None:
        if self.current is None:
            return
        for i, step in enumerate(self.current.steps):
            if not self.rows[i].done and step.done_when.matches(event):
                self._tick(i)
        self._check_standing()

    def _tick(self, index: int) -> None:
        self.rows[index].set_done(True)
        self._show_progress()
        self.step_ticked.emit(index)

    def _check_standing(self) -> None:
        """The first step not done yet may wait for something already true (the plots in sight)."""
        while self.current is not None:
            todo = next((i for i, row in enumerate(self.rows) if not row.done), None)
            if todo is None or not any(self.current.steps[todo].done_when.matches(e) for e in self.detector.standing()):
                return
            self._tick(todo)

    def _show_progress(self) -> None:
        done = sum(row.done for row in self.rows)
        self.progress.setText(self.tr("All {0} steps done. Well done!").format(done) if done == len(self.rows)
                              else self.tr("{0} of {1} steps done").format(done, len(self.rows)))

    def _judge(self) -> None:
        lesson = self.current
        if lesson is None or lesson.challenge is None or self.challenge_section is None:
            return
        h = self.doc.history
        self.epochs_start = min(self.epochs_start, self.doc.project.epochs_done)  # Reset counts again from 0
        epochs = self.doc.project.epochs_done - self.epochs_start
        accuracy = h.val_accuracy[-1] if epochs else None
        record = self.doc.dataset_record
        self.verdict = verdict = judge(lesson.challenge, self.doc.spec, accuracy, epochs,
                                       None if record is None else record.name)
        key = f"lessons/best/{lesson.name}"
        best = settings.value(key, 0, int)
        if verdict.passed and verdict.score > best:
            settings.set_value(key, verdict.score)
            best = verdict.score
        self.verdict_label.setText(verdict.message)
        now = self.tr("**Score: {0}**").format(verdict.score) if verdict.passed else self.tr("Not scored yet")
        text = self.tr("{0} · hidden neurons now: {1}").format(now, verdict.hidden_neurons)
        if best:
            text = self.tr("{0} · your best: {1}").format(text, best)
        self.score_label.setText(text)
