"""The package list for setuptools; everything else is in pyproject.toml.

pyproject.toml's package discovery cannot install a folder under another name,
and the top-level resources/ folder installs as nnviz.resources (package-dir in
pyproject.toml), so the list is made here: every folder under nnviz/ (a new
subpackage ships without editing anything), plus nnviz.resources.
"""

from setuptools import find_namespace_packages, setup

PACKAGES = find_namespace_packages(include=["nnviz", "nnviz.*"], exclude=["*__pycache__*"])

setup(packages=[*PACKAGES, "nnviz.resources"])
