"""The dialogs of the window (Preferences, About, New network, Export Image, Import CSV, recovery)
speak through tr(): a translation file changes every word a person reads on them."""

from nnviz.core.project import Project
from nnviz.ui.about import AboutDialog
from nnviz.ui.io.csv_dialog import CsvImportDialog
from nnviz.ui.io.export_dialog import ExportDialog
from nnviz.ui.io.new_dialog import NewNetworkDialog
from nnviz.ui.io.recovery import RecoverDialog
from nnviz.ui.model.document import Document
from nnviz.ui.preferences_dialog import PreferencesDialog
from test_autosave import leave_behind
from translation_check import marking, untranslated  # noqa: F401 (marking is a fixture)


def assert_translated(dialog):
    missing = untranslated(dialog)
    assert not missing, f"{len(missing)} strings not through tr():\n" + "\n".join(missing)


def test_preferences(qtbot, marking):  # noqa: F811
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert_translated(dialog)


def test_about(qtbot, marking):  # noqa: F811
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert_translated(dialog)
    dialog.copy_details()  # "Copy details" becomes "Copied"
    assert_translated(dialog)


def test_new_network(qtbot, marking):  # noqa: F811
    dialog = NewNetworkDialog()
    qtbot.addWidget(dialog)
    assert_translated(dialog)


def test_export_image(qtbot, marking):  # noqa: F811
    dialog = ExportDialog(Document(Project.default()))
    qtbot.addWidget(dialog)
    assert_translated(dialog)


def test_csv_import(qtbot, marking, tmp_path):  # noqa: F811
    dialog = CsvImportDialog()
    qtbot.addWidget(dialog)
    assert_translated(dialog)
    table = tmp_path / "points.csv"
    table.write_text("a,b,label\n" + "0,1,0\n1,0,1\n1,1,0\n0,0,1\n" * 3)
    assert dialog.load(table)
    # The file's own words: its column names, its path.
    assert_translated_but(dialog, {"label", str(table)})


def assert_translated_but(dialog, data):
    missing = untranslated(dialog, data=data)
    assert not missing, f"{len(missing)} strings not through tr():\n" + "\n".join(missing)


def test_recovery(window, qtbot, marking):  # noqa: F811
    leave_behind(qtbot, window)
    window.recovery.offer()  # the launch offer: a window-modal box, opened without a nested event loop
    box = window.recovery.box
    assert box is not None
    assert_translated(box)
    box.close()
    dialog = RecoverDialog(window.recovery)  # File ▸ Recover…
    qtbot.addWidget(dialog)
    assert_translated(dialog)
