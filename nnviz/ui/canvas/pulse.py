"""The canvas's animations: the gradient flowing backwards, and a training step.

A pulse is a list of *stops*, one layer pair each; a wave front runs across
each pair in turn (right to left for the gradient, left to right for the
forward pass), trailing a translucent glow. One :class:`PulseOverlay` item
over the connections paints every pair's band: moving the wave repaints the
band's rectangle, never re-renders the connections' cached picture (one
image copy underneath).

The window's frame clock drives every stop of a pulse, one position per
display frame; starting a pulse restarts it, so pulses never queue up.

:class:`GradientPulse` is the scene's side: it lights each pair by its
layer's gradient norm from the run, and starts a pulse on an update or a
training step.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ..widgets import colors
from ..widgets.frame_clock import FrameClock
from .connections_item import ConnectionsItem

PAIR_MS = 70  # how long the wave takes to cross one layer pair, at the normal speed
# Preferences ▸ Animation offers three speeds: the milliseconds the wave takes to cross one pair.
PAIR_MS_BY_SPEED = {"slow": 2 * PAIR_MS, "normal": PAIR_MS, "fast": PAIR_MS // 2}
MIN_INTERVAL_MS = 350  # updates start a pulse at most this often (≈3 a second)
FORWARD_INTENSITY = 0.4  # the forward sweep is context, the gradient the news
BACKWARD, FORWARD = "backward", "forward"


def glow_alpha(intensity: float) -> float:
    """Opacity of the glow for a relative gradient norm in [0, 1].

    Square root: a layer with a tenth of the largest norm still glows at a
    third, one with a ten-thousandth has faded to nothing, which is how
    vanishing gradients should look.
    """
    if not math.isfinite(intensity) or intensity <= 0:
        return 0.0
    return 0.55 * math.sqrt(min(intensity, 1.0))


class PulseBand:
    """The glow over one layer pair: a wave front at ``head`` (0–1 of the way across) with a fading trail."""

    TRAIL = 0.7  # of the pair's width
    LEAD = 6.0  # scene units of soft edge ahead of the front

    def __init__(self, connections: ConnectionsItem):
        self.x0, self.x1 = connections.x0, connections.x1
        pad = max(connections.src.radius, connections.dst.radius) + 5.0
        src, dst = connections.src.ys, connections.dst.ys
        self.top0, self.bottom0 = float(src.min()) - pad, float(src.max()) + pad
        self.top1, self.bottom1 = float(dst.min()) - pad, float(dst.max()) + pad
        self.hull = QPolygonF(
            [QPointF(self.x0, self.top0), QPointF(self.x1, self.top1), QPointF(self.x1, self.bottom1), QPointF(self.x0, self.bottom0)]
        )
        self.bounds = self.hull.boundingRect().adjusted(-4, -4, 4, 4)
        self.visible = False
        self.head = 0.0
        self.intensity = 0.0  # the pair's gradient norm relative to the network's largest
        self.fade = 1.0  # 1 while the front crosses the pair, down to 0 after it left
        self.direction = BACKWARD
        self.color = colors.PULSE

    def state(self) -> tuple:
        return (self.head, self.intensity, self.fade, self.direction, self.color)

    def head_x(self) -> float:
        if self.direction == BACKWARD:
            return self.x1 - self.head * (self.x1 - self.x0)
        return self.x0 + self.head * (self.x1 - self.x0)

    def paint(self, painter: QPainter) -> None:
        alpha = glow_alpha(self.intensity) * self.fade
        if alpha < 0.01:
            return
        x = self.head_x()
        behind = 1.0 if self.direction == BACKWARD else -1.0  # the trail lies where the front came from
        trail = self.TRAIL * (self.x1 - self.x0)
        start, end = x - behind * self.LEAD, x + behind * trail
        gradient = QLinearGradient(start, 0.0, end, 0.0)
        c = QColor(self.color)
        c.setAlphaF(0.0)
        gradient.setColorAt(0.0, c)
        c.setAlphaF(alpha)
        gradient.setColorAt(self.LEAD / (self.LEAD + trail), c)
        c.setAlphaF(alpha * 0.35)
        gradient.setColorAt(0.45, c)
        c.setAlphaF(0.0)
        gradient.setColorAt(1.0, c)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawPolygon(self.hull)
        # The front itself: a crisp bar, as wide as the pair's gradient is strong.
        t = (x - self.x0) / (self.x1 - self.x0)
        top = self.top0 + t * (self.top1 - self.top0)
        bottom = self.bottom0 + t * (self.bottom1 - self.bottom0)
        c.setAlphaF(min(1.0, alpha * 1.5))
        pen = QPen(c, 1.0 + 3.0 * min(1.0, alpha / 0.55))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, top + 2), QPointF(x, bottom - 2))


class PulseOverlay(QGraphicsItem):
    """One item over every pair's connections, painting the bands a pulse has lit.

    A changed band repaints only its own rectangle. The scene adds this item
    the first time it animates: a canvas that never pulses carries nothing.
    """

    def __init__(self):
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.bands: list[PulseBand] = []
        self._bounds = QRectF()

    def set_pairs(self, connections: list[ConnectionsItem]) -> None:
        self.prepareGeometryChange()
        self.bands = [PulseBand(c) for c in connections]
        self._bounds = QRectF()
        for band in self.bands:
            self._bounds = self._bounds.united(band.bounds)
        self.update()

    def show_band(self, pair: int, head: float, intensity: float, fade: float, direction: str, color: str) -> None:
        band = self.bands[pair]
        state = (head, intensity, fade, direction, color)
        if band.visible and band.state() == state:
            return
        band.head, band.intensity, band.fade, band.direction, band.color = state
        band.visible = True
        self.update(band.bounds)

    def hide_band(self, pair: int) -> None:
        band = self.bands[pair]
        if band.visible:
            band.visible = False
            self.update(band.bounds)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for band in self.bands:
            if band.visible and band.bounds.intersects(exposed):
                band.paint(painter)


class PulseDriver(QObject):
    """Runs pulses over a :class:`PulseOverlay`'s bands with one animation.

    ``intensity(pair)`` is asked at every frame for backward stops, so a
    step's backward half uses the gradients of an update that arrived while
    its forward half ran.
    """

    stepped = Signal(str, int)  # (direction, pair): the front entered that pair
    finished = Signal()

    def __init__(self, intensity, clock: FrameClock, parent=None):
        super().__init__(parent)
        self.intensity = intensity
        self.clock = clock
        self.overlay: PulseOverlay | None = None
        self.stops: list[tuple[str, int]] = []
        self.pair_ms = PAIR_MS
        self._entered = -1
        self._since = QElapsedTimer()  # since the last pulse began
        self._running = False

    def set_overlay(self, overlay: PulseOverlay | None) -> None:
        self.stop()
        self.overlay = overlay

    @property
    def pairs(self) -> int:
        return len(self.overlay.bands) if self.overlay is not None else 0

    @property
    def running(self) -> bool:
        return self._running

    def _follow_clock(self, on: bool) -> None:
        if on == self._running:
            return
        self._running = on
        holder = f"pulse-{id(self)}"
        if on:
            self.clock.tick.connect(self._tick)
            self.clock.hold(holder)
        else:
            self.clock.tick.disconnect(self._tick)
            self.clock.release(holder)

    def start(self, stops: list[tuple[str, int]]) -> None:
        """Run ``stops`` from the start, dropping any pulse under way."""
        self.stop()
        if not stops or not self.pairs:
            return
        self.stops = stops
        self._entered = -1
        self._since.start()
        self._follow_clock(True)
        self._frame(0.0)

    def may_start(self) -> bool:
        """Whether an update may start a pulse now: none running, and the last began long enough ago."""
        return not self.running and (not self._since.isValid() or self._since.elapsed() >= MIN_INTERVAL_MS)

    def stop(self) -> None:
        self._follow_clock(False)
        self._hide()

    def _tick(self) -> None:
        value = self._since.elapsed() / self.pair_ms
        # One more stop's time at the end: the last pair's trail fades out.
        if value >= len(self.stops) + 1:
            self._follow_clock(False)
            self._finish()
        else:
            self._frame(value)

    def _hide(self) -> None:
        for pair in range(self.pairs):
            self.overlay.hide_band(pair)
        self.stops = []

    def _frame(self, value) -> None:
        if not self.stops:
            return
        v = float(value)
        k = int(v)
        frac = v - k
        shown = set()
        # The stop before fades out; the current one is drawn last so that it
        # wins where a step turns round in the same pair.
        for j, alpha_of in ((k - 1, 1.0 - frac), (k, 1.0)):
            if not 0 <= j < len(self.stops):
                continue
            direction, pair = self.stops[j]
            if pair >= self.pairs:
                continue
            head = frac if j == k else 1.0
            intensity = FORWARD_INTENSITY if direction == FORWARD else self.intensity(pair)
            color = colors.FORWARD if direction == FORWARD else colors.PULSE
            self.overlay.show_band(pair, head, intensity, alpha_of, direction, color)
            shown.add(pair)
        for pair in range(self.pairs):
            if pair not in shown:
                self.overlay.hide_band(pair)
        # A slow frame may skip a stop: announce every pair the front passed, in order.
        while self._entered < min(k, len(self.stops) - 1):
            self._entered += 1
            self.stepped.emit(*self.stops[self._entered])

    def _finish(self) -> None:
        while self._entered < len(self.stops) - 1:
            self._entered += 1
            self.stepped.emit(*self.stops[self._entered])
        self._hide()
        self.finished.emit()


class GradientPulse(QObject):
    """The gradient flow of ``scene``: one :class:`PulseDriver` lit by the run's gradient norms.

    An update of the run sends a pulse backwards from the output pair to the
    input pair (:meth:`take_update`); a training step sweeps forward first
    (:meth:`animate_step`). The :class:`PulseOverlay` is added to the scene,
    at depth ``z``, on the first pulse; still pictures (``scene.interactive``
    false) never animate. The driver's signals are the scene's
    ``pulse_stepped`` and ``pulse_finished``.
    """

    def __init__(self, scene, z: float):
        super().__init__(scene)
        self.scene = scene
        self.z = z
        self.enabled = True
        self.overlay: PulseOverlay | None = None
        clock = getattr(scene.run, "clock", None) or FrameClock(self)
        self.driver = PulseDriver(self.intensity, clock, self)
        self.driver.stepped.connect(scene.pulse_stepped)
        self.driver.finished.connect(scene.pulse_finished)

    @property
    def running(self) -> bool:
        return self.driver.running

    def stop(self) -> None:
        self.driver.stop()

    def set_pairs(self, connections: list[ConnectionsItem]) -> None:
        """The scene rebuilt its connections: stop a pulse under way and fit the bands to the new pairs."""
        self.driver.stop()
        if self.overlay is not None:
            self.overlay.set_pairs(connections)

    def intensities(self) -> list[float]:
        """Per pair, its layer's gradient norm relative to the largest (1 = strongest, 0 without data).

        Dropout and batch-norm pairs pass the gradient on: they take the
        intensity of the pair after them (closer to the output).
        """
        connections = self.scene.connections
        n = len(connections)
        norms = self.scene.grad_norms or []
        raw: list[float | None] = []
        for i in range(n):
            v = norms[i] if i < len(norms) and not connections[i].identity else None
            raw.append(v if v is not None and math.isfinite(v) else None)
        top = max((v for v in raw if v is not None), default=0.0)
        out = [0.0] * n
        carry = 0.0
        for i in reversed(range(n)):
            if raw[i] is not None:
                carry = raw[i] / top if top > 0 else 0.0
            elif connections[i].identity:
                pass  # passes the gradient of the pair after it on
            else:
                carry = 0.0
            out[i] = carry
        return out

    def intensity(self, pair: int) -> float:
        values = self.intensities()
        return values[pair] if pair < len(values) else 0.0

    def take_update(self) -> None:
        """The run took a newer update: send a pulse, if none is running and the last began at least
        ``MIN_INTERVAL_MS`` ago (:meth:`PulseDriver.may_start`); updates in between are dropped, not queued."""
        if self.enabled and self.scene.grad_norms is not None and self.driver.may_start():
            self.start()

    def _ready(self) -> bool:
        scene = self.scene
        if not (self.enabled and scene.interactive and scene.connections):
            return False
        if self.overlay is None:
            self.overlay = PulseOverlay()
            self.overlay.setZValue(self.z)
            scene.addItem(self.overlay)
            self.overlay.set_pairs(scene.connections)
            self.driver.set_overlay(self.overlay)
        return True

    def start(self) -> None:
        """Send the gradient backwards now, from the output pair to the input pair (restarts one under way)."""
        if self._ready():
            self.driver.start([(BACKWARD, i) for i in reversed(range(len(self.scene.connections)))])

    def animate_step(self) -> None:
        """A training step: the forward pass sweeps left to right, then the gradient runs back.

        The backward half shows the gradient norms of the latest update at the
        time it runs, so the update a step produces may arrive during the sweep.
        """
        if self._ready():
            n = len(self.scene.connections)
            self.driver.start([(FORWARD, i) for i in range(n)] + [(BACKWARD, i) for i in reversed(range(n))])

    def set_enabled(self, enabled: bool) -> None:
        """Animate updates and steps (``True``, default) or keep the canvas still; disabling stops a pulse under way."""
        self.enabled = bool(enabled)
        if not enabled:
            self.driver.stop()

    def set_speed(self, speed: str) -> None:
        """How fast the wave crosses the network: "slow", "normal" or "fast" (from the next pulse on)."""
        self.driver.pair_ms = PAIR_MS_BY_SPEED[speed]
