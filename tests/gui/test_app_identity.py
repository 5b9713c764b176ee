"""The application tells the desktop who it is: its launcher's name (so the taskbar shows the
launcher's icon) and its own icon at every size, read from the package data; and it keeps the
QSettings names users' preferences are stored under."""

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QImage

from nnviz import desktop
from nnviz.ui import app as app_module, settings


def test_make_app_names_the_launcher_and_sets_the_icon(qapp):
    app = app_module.make_app()
    assert QGuiApplication.desktopFileName() == desktop.APP_ID
    icon = app.windowIcon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert sizes == set(desktop.ICON_SIZES)
    # At 16 px the desktop gets the shipped 16 px drawing itself, not the 512 px one scaled down.
    shown = icon.pixmap(QSize(16, 16)).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    shipped = QImage(str(desktop.icon_png(16))).convertToFormat(QImage.Format.Format_ARGB32)
    assert shown == shipped


def test_settings_names_are_unchanged(qapp):
    # Renaming either would lose every user's preferences and recent files.
    app = app_module.make_app()
    assert (app.organizationName(), app.applicationName()) == ("nnviz", "nnviz")
    assert (settings.ORGANIZATION, settings.APPLICATION) == ("nnviz", "nnviz")
