"""A single sigmoid output with two class labels: the inspector and `nnviz predict` name the same class."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnviz.core import DenseSpec, Network, NetworkSpec  # noqa: E402
from nnviz.core.fileformat import NetworkFile, save  # noqa: E402
from nnviz.core.project import Project  # noqa: E402
from nnviz.ui.editor.inspector import Inspector  # noqa: E402
from nnviz.ui.model.document import Document  # noqa: E402


@pytest.mark.parametrize("bias, expected", [(2.0, "dog"), (-2.0, "cat")])
def test_inspector_and_predict_agree(qtbot, tmp_path, bias, expected):
    net = Network(NetworkSpec(2, (DenseSpec(1, "sigmoid"),)), seed=0)
    net.set_layer_state(0, weights=np.zeros((2, 1)), bias=np.array([bias]))
    path = tmp_path / "pets.nnviz"
    save(NetworkFile.from_network(net, output_names=["cat", "dog"], probe=np.zeros(2)), path)

    widget = Inspector(Document(Project.load(path)))
    qtbot.addWidget(widget)
    widget.show()
    assert widget.probe_section.output_label.text().endswith(f"→ {expected}")

    code = "import sys; from nnviz.__main__ import main; sys.exit(main())"
    proc = subprocess.run([sys.executable, "-c", code, "predict", str(path), "--input", "0,0", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["predicted"] == expected
