"""The README's command lines run as written, so they cannot rot.

Every ``nnviz`` line in the README's code blocks whose command works without a
display (info, predict, train with --out, export, examples) runs here, in order,
in a fresh folder that has the checkout's ``resources/`` (the README's lines run
in the clone's folder). ``.venv/bin/nnviz`` is this checkout's ``python -m nnviz``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADLESS = {"info", "predict", "train", "export", "examples"}
VENV_NNVIZ = ".venv/bin/nnviz"


def readme_command_lines() -> list[str]:
    """The lines of the README's code blocks that start with an nnviz command."""
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines()
            if line.strip().startswith(("nnviz ", f"{VENV_NNVIZ} "))]


def headless_lines() -> list[list[str]]:
    """Each headless README line as its words, comments left out."""
    commands = [shlex.split(line, comments=True) for line in readme_command_lines()]
    return [words for words in commands if words[1] in HEADLESS]


LINES = headless_lines()


def test_the_readme_shows_the_commands():
    assert {words[1] for words in LINES} == HEADLESS


@pytest.mark.parametrize("words", LINES, ids=lambda words: " ".join(words[1:3]))
def test_written_for_the_venv_of_the_set_up_command(words):
    # The set-up command never activates the venv: a bare "nnviz" is not found after it.
    assert words[0] == VENV_NNVIZ


@pytest.mark.parametrize("words", [w for w in LINES if w[1] == "train"], ids=lambda words: words[2])
def test_train_lines_write_elsewhere(words):
    # Without --out, train writes over its FILE: a shipped example, or an earlier line's result.
    assert "--out" in words


@pytest.fixture(scope="module")
def clone_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    (folder / "resources").symlink_to(ROOT / "resources", target_is_directory=True)
    return folder


@pytest.mark.parametrize("words", LINES, ids=lambda words: " ".join(words[1:3]))
def test_the_line_runs_as_written(words, clone_folder):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-m", "nnviz", *words[1:]], cwd=clone_folder, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{shlex.join(words)}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    for flag in ("-o", "--out"):
        if flag in words:
            assert (clone_folder / words[words.index(flag) + 1]).is_file()
