"""The main window's X window destroyed from outside (xdotool windowclose): nnviz closes, not runs on unseen."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "relu_2-4-4-1_circle.nnviz"
pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool")


@pytest.fixture
def display(tmp_path):
    number = 90 + os.getpid() % 500
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1366x768x24"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f":{number}"
    server.kill()
    server.wait()


def test_destroying_the_window_ends_the_process(tmp_path, display):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {"DISPLAY": display, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data")}
    app = subprocess.Popen([sys.executable, "-m", "nnviz", str(EXAMPLE)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "circle"], env=env,
                               capture_output=True, text=True, timeout=60)
        window = found.stdout.split()[0]
        time.sleep(0.5)  # let the window settle before it is pulled away
        subprocess.run(["xdotool", "windowclose", window], env=env, check=True, timeout=10)
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        app.stderr.close()
