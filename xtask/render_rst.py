"""Renders upstream reference pages (reStructuredText) to HTML for `cargo xtask audit --upstream`.

Reads JSON `[[source.rst, target.html], ...]` on stdin and writes each target. The output is
byte for byte what the rendered reference pages are (checked by xtask's upstream_reference
test): plain docutils, after two Sphinx-isms docutils does not know are taken out:
- the `:original_name:` field and `.. _label:` targets before the title (so the title is the
  document title, as Sphinx shows it);
- the `:ref:` role, replaced by its text and padded to its length, so grid tables keep their
  column widths.
"""

import json
import re
import sys

from docutils.core import publish_string

PREAMBLE = re.compile(r"\A(?:\s*(?::original_name:.*|\.\. _[^:\n]+:)\n)+")
REF = re.compile(r":ref:`([^`]*)`")
REF_TEXT = re.compile(r"(.*?)\s*<[^>]*>$", re.S)
SETTINGS = {
    "report_level": 5,
    "halt_level": 5,
    "embed_stylesheet": False,
    "stylesheet_path": "",
}


def ref_text(match):
    inner = match.group(1)
    titled = REF_TEXT.match(inner)
    text = titled.group(1) if titled else inner
    return text + " " * (len(match.group(0)) - len(text))


def render(source):
    source = PREAMBLE.sub("", source)
    source = REF.sub(ref_text, source)
    return publish_string(source, writer_name="html5", settings_overrides=SETTINGS)


def main():
    for source, target in json.load(sys.stdin):
        with open(source, encoding="utf-8") as file:
            html = render(file.read())
        with open(target, "wb") as file:
            file.write(html)


if __name__ == "__main__":
    main()
