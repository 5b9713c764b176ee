"""The core's words the window shows (names and descriptions of activations and initialisers, the
losses' names) are marked for translators without changing them: the command line prints the same English."""

from nnviz.core.activations import ACTIVATION_LABELS, ACTIVATIONS, LEAKY_SLOPE
from nnviz.core.i18n import CONTEXT, QT_TRANSLATE_NOOP
from nnviz.core.initializers import INITIALIZER_LABELS, INITIALIZER_TIPS, INITIALIZERS
from nnviz.core.losses import LOSS_LABELS, LOSSES


def test_the_mark_returns_its_text():
    assert QT_TRANSLATE_NOOP(CONTEXT, "Leaky ReLU") == "Leaky ReLU"


def test_every_name_has_a_label_and_a_description():
    aliases = {"silu", "glorot_uniform", "glorot_normal"}  # shown under the name they stand for
    assert set(ACTIVATION_LABELS) == set(ACTIVATIONS) - aliases
    assert all(ACTIVATIONS[name].description for name in ACTIVATIONS)
    assert set(INITIALIZER_LABELS) == set(INITIALIZER_TIPS) == set(INITIALIZERS) - aliases
    assert set(LOSS_LABELS) == set(LOSSES)


def test_the_leaky_slope_in_words_is_the_slope():
    # The description is a literal (translators need one); it must still say the slope the code uses.
    assert f"lets {LEAKY_SLOPE}·z through" in ACTIVATIONS["leaky_relu"].description


def test_the_english_is_unchanged():
    assert LOSS_LABELS == {"mse": "mean squared error", "bce": "binary cross-entropy",
                           "cce": "categorical cross-entropy"}
    assert ACTIVATIONS["relu"].description == "max(0, z): fast and the usual default for hidden layers."
    assert INITIALIZER_LABELS["he_uniform"] == "He uniform"
