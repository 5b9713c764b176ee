"""The canvas widget: a QGraphicsView on a :class:`NetworkScene`.

Ctrl+wheel (or a pinch) zooms around the cursor, the wheel scrolls, dragging
the background (or with the middle button) pans. Layers dragged from the
palette can be dropped between two columns; anything else dropped here (a
``.nnviz`` file) is left to the main window.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView

from ...core.shipped import layer_sizes
from ...core.spec import SpecError
from ..widgets import colors, theme
from ..model import commands
from ..model.document import Document, Selection
from ..editor.mime import layer_from_mime
from . import hit_tests, style
from .menus import CanvasMenus
from .scene import NetworkScene

MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
FIT_MAX_ZOOM = 1.6  # a tiny network is not blown up beyond this by "fit"
FIT_MARGIN = 28  # view pixels around the network when fitting
ZOOM_STEP = 1.25
CLICK_SLOP = 4  # pixels a press may move and still be a click


class NetworkView(QGraphicsView):
    """Shows ``doc`` as a network diagram; see the module docstring for the gestures."""

    zoom_changed = Signal(float)  # the new scale (1.0 = 100 %)

    def __init__(self, doc: Document, parent=None, *, color_scheme: str = colors.DEFAULT_SCHEME, run=None):
        super().__init__(parent)
        self.doc = doc
        theme.ink_changed_for(self)  # the scene is made in the ink of the application's palette
        self._scene = NetworkScene(doc, color_scheme=color_scheme, run=run, legend=True, parent=self)
        self.setScene(self._scene)
        self.setObjectName("networkView")
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QColor(colors.BACKGROUND))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setToolTip("")  # tooltips come from the scene, per neuron and connection
        self._auto_fit = True  # refit on resize and rebuild until the user zooms
        self._press: QPoint | None = None
        self._press_hit = False
        self._pan_from: QPoint | None = None
        self._scene.layout_changed.connect(self._layout_changed)
        self.zoom_changed.connect(self._scene.hover.follow_zoom)
        self.menus = CanvasMenus(self)
        self.setAccessibleName(self.tr("Network canvas"))
        self._update_scene_rect()
        self._describe()

    # -- the scene -----------------------------------------------------------------------

    def scene(self) -> NetworkScene:  # noqa: D102 - narrower type
        return self._scene

    # -- zoom ----------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` keeping the scene point under viewport position ``anchor`` (default: the centre) still."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        fixed = self.mapToScene(anchor.toPoint())
        old = self.zoom
        self._auto_fit = False
        self.resetTransform()
        self.scale(zoom, zoom)
        self._update_scene_rect()
        # Scroll so that ``fixed`` is back under ``anchor``.
        moved = self.mapFromScene(fixed)
        delta = QPointF(moved) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(delta.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(delta.y()))
        if zoom != old:
            self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def fit(self) -> None:
        """Show the whole network with a margin; keeps fitting on resize until the user zooms."""
        self._auto_fit = True
        self._lay_out_for_window()
        self._fit()

    def _fit(self) -> None:
        rect = self._scene.content_rect()
        vp = self.viewport().rect()
        if rect.isEmpty() or vp.width() < 2 * FIT_MARGIN or vp.height() < 2 * FIT_MARGIN:
            return
        zoom = min((vp.width() - 2 * FIT_MARGIN) / rect.width(), (vp.height() - 2 * FIT_MARGIN) / rect.height())
        # Never so small that the labels cannot be read: beyond that, the user pans.
        zoom = min(FIT_MAX_ZOOM, max(style.READABLE_PX / style.SMALLEST_TEXT_PX, zoom))
        old = self.zoom
        self.resetTransform()
        self.scale(zoom, zoom)
        self._update_scene_rect()
        centre = rect.center()
        seen = (vp.width() - 2 * FIT_MARGIN) / zoom
        if rect.width() > seen:  # too wide to read whole: start at the inputs, pan for the rest
            centre.setX(rect.left() + seen / 2)
        self.centerOn(centre)
        if zoom != old:
            self.zoom_changed.emit(zoom)

    def _update_scene_rect(self) -> None:
        # Room to pan the network right to any edge of the window.
        content = self._scene.content_rect()
        vp = self.viewport().rect()
        mx = vp.width() / self.zoom
        my = vp.height() / self.zoom
        self.setSceneRect(content.adjusted(-mx, -my, mx, my))

    def _describe(self) -> None:
        """What a screen reader says after the name: the network's shape and how to read its numbers."""
        self.setAccessibleDescription(self.tr(
            "The {0} network: inputs on the left, output on the right, connections coloured by weight. Hover a "
            "neuron or a connection to read its numbers; the Menu key lists what can be done with the selection."
        ).format(layer_sizes(self.doc.spec)))

    def _layout_changed(self) -> None:
        self._describe()
        self._update_scene_rect()
        if self._auto_fit:
            self._fit()

    # -- events: geometry ------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._auto_fit:
            self._lay_out_for_window()
            self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_scene_rect()
        if self._auto_fit:
            self._lay_out_for_window()
            self._fit()

    def _lay_out_for_window(self) -> None:
        vp = self.viewport().rect()
        self._scene.set_frame(vp.width() - 2 * FIT_MARGIN, vp.height() - 2 * FIT_MARGIN)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120 or event.pixelDelta().y() / 60
            if steps:
                self.set_zoom(self.zoom * ZOOM_STEP**steps, event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.NativeGesture and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
            self.set_zoom(self.zoom * (1 + event.value()), event.position())
            return True
        return super().viewportEvent(event)

    # -- events: mouse ----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            pos = self.mapToScene(self._press)
            self._press_hit = hit_tests.selection_at(self._scene, pos) is not None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position().toPoint() - self._pan_from
            self._pan_from = event.position().toPoint()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            over = hit_tests.selection_at(self._scene, self.mapToScene(event.position().toPoint())) is not None
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.OpenHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            moved = (event.position().toPoint() - self._press).manhattanLength()
            if not self._press_hit and moved <= CLICK_SLOP:
                self.doc.select(Selection())  # a click on the background
            self._press = None

    def contextMenuEvent(self, event) -> None:
        at = event.globalPos()
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            # No pointer to go by: the selection's menu, beside it.
            found = self.menus.menu_for_selection()
            menu = None
            if found is not None:
                menu, pos = found
                at = self.viewport().mapToGlobal(self.mapFromScene(pos))
        else:
            menu = self.menus.menu_at(self.mapToScene(event.pos()))
        if menu is None:
            super().contextMenuEvent(event)
            return
        menu.exec(at)
        menu.deleteLater()
        event.accept()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in theme.PALETTE_EVENTS and theme.ink_changed_for(self):
            self.setBackgroundBrush(QColor(colors.BACKGROUND))
            self._scene.apply_ink()

    def leaveEvent(self, event) -> None:
        self._scene.hover.clear()
        super().leaveEvent(event)

    # -- events: drops from the palette ------------------------------------------------------

    def _drop_index(self, event) -> int:
        return self._scene.layout.insertion_index(self.mapToScene(event.position().toPoint()).x())

    def _accepts(self, event) -> bool:
        layer = layer_from_mime(event.mimeData())
        if layer is None:
            return False
        try:
            replace(self.doc.spec, layers=(*self.doc.spec.layers, layer)).validate()
        except SpecError:
            return False
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self._accepts(event):
            event.ignore()  # e.g. a .nnviz file: the main window opens it
            return
        self._scene.show_drop_marker(self._drop_index(event))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accepts(event):
            event.ignore()
            return
        self._scene.show_drop_marker(self._drop_index(event))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dragLeaveEvent(self, event) -> None:
        self._scene.hide_drop_marker()
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self._scene.hide_drop_marker()
        if not self._accepts(event):
            event.ignore()
            return
        index = self._drop_index(event)
        commands.insert_layer(self.doc, index, layer_from_mime(event.mimeData()))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.setFocus()

