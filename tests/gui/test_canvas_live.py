"""The canvas while a network trains: colouring by gradients, the gradient-flow pulse, the step animation."""

import numpy as np
import pytest

from nnviz.core.spec import DenseSpec, DropoutSpec, NetworkSpec
from nnviz.ui.canvas import NetworkScene, NetworkView, tooltips
from nnviz.ui.canvas.pulse import glow_alpha
from nnviz.core.network import Network
from nnviz.ui.model.document import Document
from nnviz.ui.training.run_model import RunModel
from nnviz.ui.training.process import N_STATS, Frame

from helpers import make_doc, shown_view


def small_doc() -> Document:
    return make_doc(2, DenseSpec(4, "tanh"), DenseSpec(4, "tanh"), DenseSpec(1, "sigmoid"))


def set_spec(doc: Document, spec: NetworkSpec) -> None:
    doc.restore({"spec": spec, "params": Network(spec, seed=0).copy_params()})


def make_update(doc: Document, grads=None, norms=None) -> tuple[Frame, Network]:
    """A run's state (for ``RunModel.take``) with gradients ``grads`` (per layer, default: the weights'
    shapes, all +1) and grad norms ``norms``."""
    net = doc.network
    n = len(net.layers)
    if grads is None:
        grads = [np.ones_like(net.layer_params(i)["weights"]) for i in range(n)]
    if norms is None:
        norms = [float(np.linalg.norm(g)) if g is not None else None for g in grads]
    mirror = Network(net.spec, dtype=net.dtype)
    mirror.load_params(net.copy_params())
    for i, g in enumerate(grads):
        if g is not None:
            mirror.layer_grads(i)["weights"][...] = g
    stats = np.full((n, N_STATS), np.nan)
    for i, v in enumerate(norms):
        if v is not None:
            stats[i] = (0.0, 1.0, -1.0, 1.0, 1.0, v, v / 4)
    return Frame(2, 1, 10, 1, 100.0, mirror.params.copy(), mirror.grads.copy(), stats), mirror


@pytest.fixture
def view(qtbot):
    return shown_view(qtbot, small_doc())


def signs_drawn(item) -> np.ndarray:
    """Per drawn line: True where it is in a negative-coloured bin (what the pens paint)."""
    return item.line_negative()


def bins_drawn(item) -> np.ndarray:
    return item.line_bins()


def run_pulse(qtbot, scene, start) -> list[tuple[str, int, float]]:
    """Start a pulse with ``start()`` and record (direction, pair, intensity) as its front enters each pair.

    The intensity is the one the driver asks for that pair's band: on a slow
    machine a late frame may skip a pair's band (never shown, it keeps no value).
    """
    seen = []

    def record(direction, pair):
        seen.append((direction, pair, scene.pulse.intensity(pair)))

    scene.pulse_stepped.connect(record)
    with qtbot.waitSignal(scene.pulse_finished, timeout=5000):
        start()
    scene.pulse_stepped.disconnect(record)
    return seen


# -- colour by gradients ---------------------------------------------------------------------


def test_weights_mode_is_the_default_and_unknown_modes_are_refused(view):
    scene = view.scene()
    assert scene.color_mode == "weights"
    with pytest.raises(ValueError, match="gradients"):
        scene.set_color_mode("activations")


def test_gradient_mode_colours_lines_by_the_sign_of_their_gradient_and_back(view):
    scene = view.scene()
    doc = scene.doc
    rng = np.random.default_rng(1)
    grads = [rng.choice([-1.0, 1.0], size=doc.network.layer_params(i)["weights"].shape) * rng.uniform(0.5, 1.0, size=doc.network.layer_params(i)["weights"].shape) for i in range(3)]
    weight_signs = [signs_drawn(item).copy() for item in scene.connections]

    scene.run.take(*make_update(doc, grads))  # in weights mode: the lines keep their weights' colours
    assert all((signs_drawn(item) == s).all() for item, s in zip(scene.connections, weight_signs))

    scene.set_color_mode("gradients")
    for item, g in zip(scene.connections, grads):
        expected = g[item.src_idx, item.dst_idx] < 0
        assert (signs_drawn(item) == expected).all()
    assert any(signs_drawn(item).any() and not signs_drawn(item).all() for item in scene.connections)  # both signs drawn
    view.viewport().grab()  # paints without error

    scene.set_color_mode("weights")
    for i, item in enumerate(scene.connections):
        w = doc.network.layer_params(i)["weights"]
        assert (signs_drawn(item) == (w[item.src_idx, item.dst_idx] < 0)).all()
    assert all((signs_drawn(item) == s).all() for item, s in zip(scene.connections, weight_signs))


def test_gradient_mode_follows_new_updates_and_ignores_new_weights(view):
    scene = view.scene()
    doc = scene.doc
    scene.set_color_mode("gradients")
    scene.run.take(*make_update(doc))  # every gradient +1
    assert not any(signs_drawn(item).any() for item in scene.connections)
    minus = [-np.ones_like(doc.network.layer_params(i)["weights"]) for i in range(3)]
    scene.run.take(*make_update(doc, minus))
    assert all(signs_drawn(item).all() for item in scene.connections)
    doc.params_changed.emit()  # new weights: gradient colours stay
    assert all(signs_drawn(item).all() for item in scene.connections)


def test_vanishing_gradients_draw_early_layers_faint(view):
    """One scale for the whole network: a layer with tiny gradients gets the thinnest, faintest bin."""
    scene = view.scene()
    doc = scene.doc
    shapes = [doc.network.layer_params(i)["weights"].shape for i in range(3)]
    grads = [np.full(shapes[0], 1e-4), np.full(shapes[1], 1e-2), np.full(shapes[2], 1.0)]
    scene.set_color_mode("gradients")
    scene.run.take(*make_update(doc, grads))
    first, middle, last = scene.connections
    assert (bins_drawn(first) == 0).all() and (bins_drawn(middle) == 0).all()
    assert (bins_drawn(last) == 7).all()


def test_gradient_mode_without_gradients_draws_faint_lines_and_the_tooltip_keeps_the_weight(view):
    scene = view.scene()
    scene.set_color_mode("gradients")
    assert all((bins_drawn(item) == 0).all() for item in scene.connections)
    w = float(scene.doc.network.layer_params(0)["weights"][int(scene.connections[0].src_idx[0]), int(scene.connections[0].dst_idx[0])])
    text = tooltips.connection_text(scene, 0, 0)
    assert f"w = {w:.4g}" in text and "∂L/∂w" not in text
    grads = [np.full(scene.doc.network.layer_params(i)["weights"].shape, -0.25) for i in range(3)]
    scene.run.take(*make_update(scene.doc, grads))
    text = tooltips.connection_text(scene, 0, 0)
    assert f"w = {w:.4g}" in text and "∂L/∂w = -0.25" in text


def test_gradients_of_another_shape_are_ignored_after_the_network_changes(qtbot):
    doc = small_doc()
    view = NetworkView(doc, run=RunModel())
    qtbot.addWidget(view)
    scene = view.scene()
    scene.set_color_mode("gradients")
    scene.run.take(*make_update(doc, [-np.ones_like(doc.network.layer_params(i)["weights"]) for i in range(3)]))
    set_spec(doc, NetworkSpec(2, (DenseSpec(6, "tanh"), DenseSpec(4, "tanh"), DenseSpec(1, "sigmoid"))))
    assert scene.pair_gradient(0) is None  # 2×6 now, the update's was 2×4
    assert scene.pair_gradient(2) is not None
    view.viewport().grab()


# -- the pulse --------------------------------------------------------------------------------


def test_an_update_sends_a_pulse_from_the_output_pair_to_the_input_pair(view, qtbot):
    scene = view.scene()
    seen = run_pulse(qtbot, scene, lambda: scene.run.take(*make_update(scene.doc, norms=[1.0, 1.0, 1.0])))
    assert [(d, p) for d, p, _ in seen] == [("backward", 2), ("backward", 1), ("backward", 0)]
    assert not scene.pulse.running
    assert not any(band.visible for band in scene.pulse.overlay.bands)  # nothing left lit


def test_pulse_intensities_follow_the_gradient_norms(view, qtbot):
    scene = view.scene()
    norms = [1e-4, 1e-2, 2.0]  # vanishing towards the input
    seen = run_pulse(qtbot, scene, lambda: scene.run.take(*make_update(scene.doc, norms=norms)))
    intensities = [i for _, _, i in seen]
    assert intensities == pytest.approx([1.0, 5e-3, 5e-5])
    alphas = [glow_alpha(i) for i in intensities]
    assert alphas[0] > alphas[1] > alphas[2] and alphas[2] < 0.01  # visibly fading before the input


def test_dropout_pairs_pass_the_gradient_on(qtbot):
    doc = make_doc(2, DenseSpec(4, "relu"), DropoutSpec(0.5), DenseSpec(1, "sigmoid"))
    scene = NetworkScene(doc, run=RunModel())
    grads = [np.ones((2, 4)), None, np.ones((4, 1))]
    scene.run.take(*make_update(doc, grads, norms=[0.5, None, 1.0]))
    assert scene.pulse.intensities() == pytest.approx([0.5, 1.0, 1.0])
    scene.pulse.set_enabled(False)


def test_the_pulse_glows_over_the_connections_mid_way(view, qtbot):
    scene = view.scene()
    before = view.viewport().grab().toImage()
    scene.run.take(*make_update(scene.doc, norms=[1.0, 1.0, 1.0]))
    qtbot.waitUntil(lambda: any(band.visible and band.fade > 0.5 and 0.2 < band.head < 0.8 for band in scene.pulse.overlay.bands), timeout=3000)
    during = view.viewport().grab().toImage()
    assert during != before
    with qtbot.waitSignal(scene.pulse_finished, timeout=3000):
        pass


def test_disabling_the_pulse_stops_it_and_keeps_updates_still(view, qtbot):
    scene = view.scene()
    scene.run.take(*make_update(scene.doc))
    assert scene.pulse.running
    scene.pulse.set_enabled(False)
    assert not scene.pulse.running
    assert not any(band.visible for band in scene.pulse.overlay.bands)
    steps = []
    scene.pulse_stepped.connect(lambda d, p: steps.append(p))
    scene.run.take(*make_update(scene.doc))
    scene.pulse.animate_step()
    qtbot.wait(150)
    assert not scene.pulse.running and steps == []
    scene.pulse.set_enabled(True)
    seen = run_pulse(qtbot, scene, scene.pulse.start)
    assert [p for _, p, _ in seen] == [2, 1, 0]


def test_updates_during_a_pulse_do_not_queue_more_pulses(view, qtbot):
    scene = view.scene()
    starts = []
    scene.pulse_stepped.connect(lambda d, p: starts.append(p) if p == 2 else None)
    with qtbot.waitSignal(scene.pulse_finished, timeout=5000):
        for _ in range(10):
            scene.run.take(*make_update(scene.doc))
    qtbot.wait(100)
    assert starts == [2] and not scene.pulse.running


def test_a_new_pulse_restarts_instead_of_queueing(view, qtbot):
    scene = view.scene()
    with qtbot.waitSignal(scene.pulse_stepped, timeout=3000, check_params_cb=lambda d, pair: pair == 1):
        scene.pulse.start()  # mid-way when its front enters pair 1
    seen = run_pulse(qtbot, scene, scene.pulse.start)
    assert [p for _, p, _ in seen] == [2, 1, 0]
    qtbot.wait(100)
    assert not scene.pulse.running


def test_a_step_sweeps_forward_then_sends_the_gradient_back(view, qtbot):
    scene = view.scene()
    scene.run.take(*make_update(scene.doc, norms=[0.25, 0.5, 1.0]))
    scene.pulse.stop()
    seen = run_pulse(qtbot, scene, scene.pulse.animate_step)
    assert [(d, p) for d, p, _ in seen] == [
        ("forward", 0), ("forward", 1), ("forward", 2), ("backward", 2), ("backward", 1), ("backward", 0)
    ]
    assert [i for d, _, i in seen if d == "backward"] == pytest.approx([1.0, 0.5, 0.25])


def test_a_rebuild_stops_the_pulse(view, qtbot):
    scene = view.scene()
    scene.pulse.start()
    set_spec(scene.doc, NetworkSpec(2, (DenseSpec(3, "tanh"), DenseSpec(1, "sigmoid"))))
    assert not scene.pulse.running
    assert len(scene.pulse.overlay.bands) == 2
    seen = run_pulse(qtbot, scene, scene.pulse.start)
    assert [p for _, p, _ in seen] == [1, 0]


def test_export_scenes_never_animate():
    doc = small_doc()
    scene = NetworkScene(doc, interactive=False, run=RunModel())
    scene.run.take(*make_update(doc))
    assert not scene.pulse.running and scene.pulse.overlay is None
