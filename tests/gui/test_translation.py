"""Every string a person reads goes through Qt's translation (tr()), so a translation file changes
it; Qt's own words (OK, Cancel) follow the person's language; nnviz's translation files load."""

from nnviz.core.shipped import example_path
from nnviz.ui.io.new_dialog import example_files, example_title
from translation_check import marking, untranslated  # noqa: F401 (marking is a fixture)


def test_the_window_speaks_through_tr(qtbot, marking):  # noqa: F811
    from nnviz.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    path = example_path("relu_2-4-4-1_circle")
    window.open_file(path, ask=False, remember=False)
    window.show()
    qtbot.waitExposed(window)
    # File ▸ Examples lists the example files by name (example_title): file names, not nnviz's words.
    examples = {example_title(example) for example in example_files()}
    missing = untranslated(window, data={window.doc.spec.name, path.stem, *examples})
    assert not missing, f"{len(missing)} strings not through tr():\n" + "\n".join(missing)


def test_live_readouts_after_training_speak_through_tr(qtbot, marking, window):  # noqa: F811
    """A few epochs trained: the panel's readouts, the status line, the plots' captions, the timeline and the
    views' notes, as they read once a run has finished, all came through tr()."""
    import helpers

    helpers.trained(window, qtbot, epochs=3, n_samples=100)
    window.plots.refresh()  # every page as it reads now, shown or not (a hidden page draws once shown)
    assert len(window.doc.history) == 3 and window.controller.run.state == "finished"
    examples = {example_title(example) for example in example_files()}  # File ▸ Examples: file names, as above
    missing = untranslated(window, data={window.doc.spec.name, *examples})
    assert not missing, f"{len(missing)} strings not through tr():\n" + "\n".join(missing)
