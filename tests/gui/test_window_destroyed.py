"""The main window's X window destroyed from outside (xdotool windowclose): nnviz closes, not runs on unseen."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "relu_2-4-4-1_circle.nnviz"
pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool")


@pytest.fixture
def display():
    # Xvfb picks a free display and writes its number once it accepts
    # clients: a fixed number can meet a stale socket or lock of an earlier
    # server on a reused machine, and the window would never appear.
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1366x768x24"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()
    if not number:
        server.wait()
        pytest.fail(f"Xvfb did not start (exit status {server.returncode})")
    try:
        _skip_unless_qt_reaches(f":{number}")
        yield f":{number}"
    finally:
        server.terminate()  # not kill: Xvfb removes its socket and lock on SIGTERM
        server.wait()


def _skip_unless_qt_reaches(display):
    """Qt's X11 plugin needs libraries (libxcb-cursor0, libxcb-icccm4, ...) a machine with Xvfb may lack."""
    probe = subprocess.run([sys.executable, "-c", "from PySide6.QtGui import QGuiApplication; "
                            "QGuiApplication(['probe', '-platform', 'xcb'])"],
                           env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"Qt's xcb platform plugin does not load here: {probe.stderr.strip().splitlines()[0]}")


def test_destroying_the_window_ends_the_process(tmp_path, display):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {"DISPLAY": display, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data")}
    app = subprocess.Popen([sys.executable, "-m", "nnviz", str(EXAMPLE)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        try:
            found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name", "circle"], env=env,
                                   capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            app.kill()
            pytest.fail(f"no nnviz window in 60 s; nnviz said: {app.communicate()[1].decode().strip()}")
        window = found.stdout.split()[0]
        subprocess.run(["xdotool", "windowclose", window], env=env, check=True, timeout=10)
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        app.stderr.close()
