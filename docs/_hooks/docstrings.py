"""MkDocs hook: render the library's docstrings (plain prose with doctest examples) well in the site.

The docstrings are written for Jupyter's ``?`` first: prose, Sphinx-style roles and ``>>>``
examples. Markdown would turn ``>>>`` into nested block quotes and print ``:class:`X``` as is, so
this hook adds a small Markdown preprocessor (docstrings only pass through Markdown) that fences
each doctest block as ``pycon`` and turns a role into plain code.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

_ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|obj|exc):`~?([^`]+)`")
_SKIP = re.compile(r"\s*#\s*doctest:\s*\+\w+(?:,\s*\+\w+)*\s*$")


class _Doctests(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_block = False
        fenced = False
        for line in lines:
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if fenced or line.lstrip().startswith("```"):
                out.append(line)
                continue
            stripped = line.strip()
            if not in_block and stripped.startswith(">>>"):
                indent = line[: len(line) - len(line.lstrip())]
                out += ["", indent + "```pycon"]
                in_block = True
            elif in_block and not stripped:
                out += [indent + "```", ""]
                in_block = False
            if in_block:
                out.append(_SKIP.sub("", line))
            else:
                out.append(_ROLE.sub(r"`\1`", line))
        if in_block:
            out += [indent + "```", ""]
        return out


class DocstringMarkup(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.register(_Doctests(md), "reoffend_docstrings", 35)


@event_priority(100)  # before mkdocstrings reads the Markdown extensions
def on_config(config):
    config.markdown_extensions.append(DocstringMarkup())
    return config
