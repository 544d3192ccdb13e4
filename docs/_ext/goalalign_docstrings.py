"""Sphinx extension: run the examples of autodoc'd docstrings in their own module's namespace.

Sphinx's doctest builder runs every ``>>>`` block of a page in one namespace, built by
``doctest_global_setup``. A docstring example, though, is written against the globals of the
module that defines it (``parse_statement(...)`` inside ``goalalign.text.statement``), which
is how ``python -m doctest`` and pytest's ``--doctest-modules`` run it. This extension puts the
examples of each docstring in a test group of their own, whose setup loads that module's
globals, so an example passes in the docs exactly when it passes beside its code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Sphinx and docutils are needed only to build the docs
    from docutils import nodes  # type: ignore[import-untyped]
    from sphinx.application import Sphinx

__all__ = ["defining_module", "setup"]

_MARK = ":docstring of "


def defining_module(dotted: str) -> str | None:
    """The module whose globals a docstring example of ``dotted`` runs in.

    ``dotted`` names a module or an object inside one (``goalalign.parse_statement``,
    ``goalalign.Cascade.goal``); an object re-exported elsewhere answers with the module
    that defines it.
    """
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name, None)
            if obj is None:
                return ".".join(parts[:cut])
        if cut == len(parts):
            return str(obj.__name__)
        module = getattr(obj, "__module__", None)
        return module if isinstance(module, str) else ".".join(parts[:cut])
    return None


def _setup_code(module: str) -> str:
    load = f"_importlib.import_module({module!r})"
    return f"import importlib as _importlib\nglobals().update(vars({load}))"


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    from docutils import nodes

    groups: dict[str, str] = {}
    for block in list(doctree.findall(nodes.doctest_block)):
        source = block.source or ""
        if _MARK not in source:
            continue  # a page's own example: the page's namespace is right
        module = defining_module(source.split(_MARK, 1)[1].strip())
        if module is None:
            continue
        group = groups.get(source)
        if group is None:
            group = groups[source] = f"docstring-{len(groups)}"
            setup = nodes.comment("", "", testnodetype="testsetup", groups=[group])
            setup += nodes.Text(_setup_code(module))
            parent = block.parent
            parent.insert(parent.index(block), setup)
        block["testnodetype"] = "doctest"
        block["groups"] = [group]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", _on_doctree_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
