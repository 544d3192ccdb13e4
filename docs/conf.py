"""Sphinx configuration for the goalalign documentation.

The rule reference under ``rules/generated/`` is written at build time from the rules' own
metadata by the local extension ``_ext/goalalign_rules.py``; the folder is not kept in git.
Intersphinx is off on purpose: the docs build without a network.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

from goalalign import __version__  # noqa: E402

project = "goalalign"
author = "The goalalign developers"
copyright = "2026, The goalalign developers"
version = __version__
release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "goalalign_docstrings",
    "goalalign_rules",
]

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
nitpicky = False
html_theme = "alabaster"
html_title = f"goalalign {release}"
pygments_style = "sphinx"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"show-inheritance": False}
napoleon_numpy_docstring = True
napoleon_google_docstring = True

# Doctests can read the bundled examples wherever the repository is checked out.
doctest_global_setup = f"""
from pathlib import Path
import goalalign as ga
EXAMPLES = Path({str(ROOT / "examples")!r})
"""
