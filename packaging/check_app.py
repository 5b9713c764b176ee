"""Check a built nnviz app: ``python packaging/check_app.py [dist/nnviz] [--display :NN]``.

Runs what a person would try with the frozen app and says PASS or FAIL for each:
the command line (--version, examples, info and training on a shipped example, training on the
shipped Iris table, an export to PNG and SVG with no display, install-desktop into a scratch
XDG_DATA_HOME) and, when Xvfb and xdotool are installed, the window: it opens on a shipped
example, its training process (the app run again, as multiprocessing's spawn does in a frozen
app) starts, Ctrl+Return (Train) sets it to work and marks the document changed in the title,
no Python error reaches stderr, and closing the app ends the training process. It leaves a
screenshot of the window training (loss curve, boundary, epoch counter) for a person to look at.
Exit status 0 when all pass.
Needs only the standard library (and ImageMagick's ``import`` for the screenshot).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "spiral_deep_tanh"
TIMEOUT = 300  # seconds for one command on a loaded machine


class Checks:
    def __init__(self, app: Path, scratch: Path):
        self.app, self.scratch, self.failures = app, scratch, []

    def run(self, *args: str, env: dict | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.app), *args], capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": str(self.scratch / "home"), **(env or {})})

    def expect(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"\n      {detail.strip()[:2000]}" if detail and not ok else ""),
              flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def command(self, name: str, *args: str, contains: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
        result = self.run(*args, env=env)
        self.expect(name, result.returncode == 0 and contains in result.stdout,
                    f"exit status {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}")
        return result


def png_size(path: Path) -> tuple[int, int] | None:
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return None
    return struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else None


def check_command_line(checks: Checks, version: str) -> None:
    scratch = checks.scratch
    checks.command("--version", "--version", contains=version)
    checks.command("examples lists the shipped examples and datasets", "examples", contains=EXAMPLE)
    checks.command("info on a shipped example", "info", f"example:{EXAMPLE}", contains="dense")
    trained = scratch / "trained.nnviz"
    checks.command("train 5 epochs on the example's own dataset", "train", f"example:{EXAMPLE}", "--epochs", "5",
                   "--out", str(trained), contains="trained 5 epochs")
    checks.command("train on the shipped Iris table", "train", "example:iris_4-8-3_softmax", "--dataset", "iris",
                   "--epochs", "5", "--out", str(scratch / "iris.nnviz"), contains="trained 5 epochs")
    no_display = {key: "" for key in ("DISPLAY", "WAYLAND_DISPLAY")}
    for suffix in ("png", "svg"):
        out = scratch / f"export.{suffix}"
        checks.command(f"export {suffix.upper()} with no display", "export", str(trained), "-o", str(out),
                       env=no_display, contains="wrote")
    size = png_size(scratch / "export.png")
    checks.expect("the exported PNG is a picture", size is not None and min(size) > 100, f"PNG size {size}")
    data_home = scratch / "data"
    checks.command("install-desktop", "install-desktop", env={"XDG_DATA_HOME": str(data_home)}, contains="installed")
    launcher = data_home / "applications" / "io.github.nnviz_studio.nnviz.desktop"
    exec_line = next((line for line in launcher.read_text().splitlines() if line.startswith("Exec=")), "") \
        if launcher.is_file() else ""
    checks.expect("the launcher runs this app", str(checks.app.resolve()) in exec_line, exec_line)
    checks.command("install-desktop --uninstall", "install-desktop", "--uninstall",
                   env={"XDG_DATA_HOME": str(data_home)}, contains="removed")


def wait_for(condition, timeout: float, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    return None


def training_process(pid: int) -> int | None:
    """The child multiprocessing spawned to train (not its resource tracker, also a child)."""
    try:
        kids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return None
    for kid in kids:
        try:
            command = Path(f"/proc/{kid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"resource_tracker" not in command and (b"multiprocessing-fork" in command or b"spawn_main" in command):
            return kid
    return None


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def xdotool(*args: str, display: str) -> str:
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "DISPLAY": display})
    return result.stdout.strip()


def check_window(checks: Checks, display: str) -> None:
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        print("SKIP  the window (install xvfb and xdotool to check it)")
        return
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    app = None
    try:
        if not wait_for(lambda: Path(f"/tmp/.X11-unix/X{display.lstrip(':')}").exists(), 30):
            checks.expect(f"Xvfb starts on {display}", False, "is the display number taken? give another with --display")
            return
        stderr_path = checks.scratch / "window-stderr.txt"
        example = ROOT / "resources" / "examples" / f"{EXAMPLE}.nnviz"
        with open(stderr_path, "w") as stderr:
            app = subprocess.Popen([str(checks.app), str(example)], stdout=subprocess.DEVNULL, stderr=stderr,
                                   env={**os.environ, "DISPLAY": display, "HOME": str(checks.scratch / "home")})
        window = wait_for(lambda: xdotool("search", "--onlyvisible", "--pid", str(app.pid), "--name", "nnviz",
                                          display=display).split("\n")[0], 120)
        if not checks.expect("the window opens", bool(window), stderr_path.read_text()):
            return
        title = xdotool("getwindowname", window, display=display)
        # The training process starts with the window, waiting; Ctrl+Return (Train) sets it to work.
        trainer = wait_for(lambda: training_process(app.pid), 60)
        if not checks.expect("the training process starts (the app run again by multiprocessing)", bool(trainer),
                             stderr_path.read_text()):
            return
        before = cpu_seconds(trainer)
        time.sleep(2)  # let the first frames settle before a key goes in
        # No window manager under Xvfb: focus the window directly (windowactivate needs one).
        xdotool("windowfocus", "--sync", window, display=display)
        xdotool("key", "ctrl+Return", display=display)
        checks.expect("Ctrl+Return trains in the training process (its CPU time grows)",
                      bool(wait_for(lambda: cpu_seconds(trainer) > before + 2.0, 120)),
                      f"CPU seconds {before:.1f} -> {cpu_seconds(trainer):.1f}")
        checks.expect("the title marks the document changed by the run",
                      bool(wait_for(lambda: xdotool("getwindowname", window, display=display) != title, 60)),
                      f"title stayed {title!r}")
        time.sleep(5)  # a few epochs for the screenshot
        if shutil.which("import"):
            shot = checks.scratch / "window-after-training.png"
            subprocess.run(["import", "-window", "root", str(shot)], env={**os.environ, "DISPLAY": display},
                           timeout=60, check=False)
            print(f"      screenshot: {shot} (look at it: loss curve, boundary, epoch counter)")
        errors = [line for line in stderr_path.read_text().splitlines()
                  if "Traceback" in line or "Error" in line]
        checks.expect("no Python errors on stderr", not errors, "\n".join(errors))
        app.terminate()
        app.wait(60)
        checks.expect("closing the app ends its training process",
                      bool(wait_for(lambda: not Path(f"/proc/{trainer}").exists(), 30)))
    finally:
        for process in (app, xvfb):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", nargs="?", type=Path, default=ROOT / "dist" / "nnviz", help="the built app folder")
    parser.add_argument("--display", default=":97", help="the X display for Xvfb (default :97; must be free)")
    parser.add_argument("--keep", action="store_true", help="keep every output (the screenshot is always kept)")
    parser.add_argument("--scratch", type=Path, default=None, help="where the outputs go (default: a temporary folder)")
    args = parser.parse_args(argv)
    executable = args.app / "nnviz"
    if not executable.is_file():
        print(f"check_app: {executable} does not exist; build it with 'python packaging/build_app.py'", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from nnviz import __version__

    scratch = Path(tempfile.mkdtemp(prefix="nnviz-check-", dir=args.scratch))
    (scratch / "home").mkdir()
    checks = Checks(executable, scratch)
    check_command_line(checks, __version__)
    check_window(checks, args.display)
    size = sum(p.stat().st_size for p in args.app.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"app size: {size / 2**20:.0f} MB ({args.app})")
    if args.keep or checks.failures:
        print(f"outputs kept in {scratch}")
    else:
        for path in scratch.iterdir():  # all but the screenshot
            if path.name != "window-after-training.png":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    if checks.failures:
        print(f"{len(checks.failures)} check(s) failed: {', '.join(checks.failures)}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
