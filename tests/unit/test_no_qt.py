"""The engine never imports Qt: it must run in a notebook, a script or a server with no display.

Checked twice: by importing every module of ``nnviz.core`` in a fresh
interpreter (catches indirect imports too), and by reading the sources (catches
imports hidden inside functions that the first check never runs).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nnviz.core

ROOT = Path(__file__).resolve().parents[2]
CORE = Path(nnviz.core.__file__).resolve().parent
QT_PREFIXES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt")

LOADED_QT = f"""
import sys
QT_PREFIXES = {QT_PREFIXES!r}
loaded = sorted(m for m in sys.modules if m.startswith(QT_PREFIXES))
"""


def run_python(code: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a clean interpreter that finds this checkout's nnviz first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_"))}
    env |= {"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_engine_modules_import_without_qt():
    code = f"""
import importlib, json, pkgutil
import nnviz.core
names = ["nnviz.core"] + [m.name for m in pkgutil.walk_packages(nnviz.core.__path__, "nnviz.core.")]
for name in names:
    importlib.import_module(name)
{LOADED_QT}
print(json.dumps({{"modules": names, "qt": loaded}}))
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"nnviz.core.network", "nnviz.core.training"} <= set(report["modules"])
    assert report["qt"] == [], f"importing nnviz.core loaded {report['qt']}"


def qt_imports(path: Path) -> list[str]:
    """``file:line module`` for every import of a Qt module in ``path``, wherever it is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            # importlib.import_module("PySide6…") / __import__("PySide6…")
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            literal = node.args[0] if node.args and isinstance(node.args[0], ast.Constant) else None
            modules = [literal.value] if name in ("import_module", "__import__") and literal else []
        else:
            continue
        found += [f"{path.relative_to(ROOT)}:{node.lineno} {m}" for m in modules if str(m).startswith(QT_PREFIXES)]
    return found


def test_engine_sources_never_import_qt():
    sources = sorted(CORE.rglob("*.py"))
    assert CORE / "network.py" in sources
    offending = [hit for path in sources for hit in qt_imports(path)]
    assert offending == [], "nnviz.core must stay free of Qt: " + "; ".join(offending)


@pytest.mark.skipif(not (ROOT / "nnviz" / "__main__.py").exists(), reason="nnviz/__main__.py does not exist yet")
def test_engine_command_line_help_needs_no_qt():
    code = f"""
import runpy, sys
sys.argv = ["nnviz", "--help"]
try:
    runpy.run_module("nnviz", run_name="__main__", alter_sys=True)
    status = 0
except SystemExit as exit:
    status = exit.code or 0
{LOADED_QT}
print("QT-MODULES:", ",".join(loaded))
sys.exit(status)
"""
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout.lower(), done.stdout
    loaded = done.stdout.strip().splitlines()[-1].removeprefix("QT-MODULES:").strip()
    assert loaded == "", f"`nnviz --help` loaded {loaded}: the command line must work without Qt"
