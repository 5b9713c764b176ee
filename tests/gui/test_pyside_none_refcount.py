"""Guard against PySide6 6.12 on Python 3.11, which drops a reference to None on
every call of a method that returns nothing and aborts the interpreter
("Fatal Python error: none_dealloc") after a few thousand such calls."""

import subprocess
import sys
import textwrap
from importlib.metadata import version

CHURN = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage
    # More calls than there are references to None: a leaking binding would
    # drive None's count through zero and abort. (On 3.12+ None is immortal.)
    calls = min(sys.getrefcount(None), 10_000_000) + 5_000
    p = QPointF()
    for i in range(calls):
        p.setX(i)
    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    for _ in range(5_000):
        image.fill(0)
    print("survived", calls)
    """
)


def test_void_methods_do_not_leak_none():
    proc = subprocess.run([sys.executable, "-c", CHURN], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("survived")


def test_no_pyside_612_on_python_311():
    major, minor = (int(part) for part in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), "PySide6 6.12 aborts Python 3.11; pyproject.toml must cap it"
