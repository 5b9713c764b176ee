"""The inspector: the selected layer's settings, the selected neuron's numbers, and the probe input.

Top (:mod:`.layer_section`): what is selected (a layer, the inputs, or nothing: a
summary of the network) and its settings, editable. Middle (:mod:`.neuron_section`),
when a neuron is selected: its bias and incoming weights in an editable table, with
the probe's value on each connection, the weighted sum and the activation, so a
learner can follow one neuron's arithmetic by hand. Bottom (:mod:`.probe_section`),
always: the probe input, one number per input feature, and the network's output for
it. Last (:mod:`.cost_section`): what the network costs (parameters, memory at 32 and
16 bits, multiply-adds) now and with a hidden layer doubled or repeated. :class:`Inspector` (:mod:`.inspector`) stacks them and refreshes them from the
document's signals. Every edit is a command on the document
(:mod:`nnviz.ui.model.commands`), the probe's too (``commands.set_probe``).
"""

from .inspector import Inspector
from .probe_section import PROBE_TABLE_ABOVE

__all__ = ["Inspector", "PROBE_TABLE_ABOVE"]
