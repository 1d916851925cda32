"""The server keeps every element the desk's body editor writes, and nothing more.

richtext.js writes p, h2, h3, blockquote, ul, ol, li, a href, strong, em and br;
the sanitizer that every filed body passes (`newsroom.bodies`) must keep them
all as they are, and still drop styles, spans, classes and scripts.
"""

from __future__ import annotations

import re
from pathlib import Path

from newswire.desk import web as desk_web
from newswire.desk.i18n import DESK_CATALOG
from newswire.newsroom.bodies import body_to_html

EDITOR_HTML = (
    "<p>The port raised its tolls.<br>On Monday.</p>"
    "<h2>What changes</h2>"
    "<h3>For ferries</h3>"
    "<blockquote><p>We had no choice.</p></blockquote>"
    "<ul><li>Container ships</li><li>Ferries</li></ul>"
    "<ol><li>First</li><li>Second</li></ol>"
    '<p>Read the <a href="https://port.example/notice">notice</a>. '
    "<strong>Fees double.</strong> <em>Really.</em></p>"
)


def test_every_element_the_body_editor_writes_survives_sanitizing() -> None:
    assert body_to_html(EDITOR_HTML) == EDITOR_HTML.replace(
        'href="https://port.example/notice"',
        'href="https://port.example/notice" rel="noopener noreferrer"',
    )


def test_styles_spans_classes_and_scripts_do_not_survive_sanitizing() -> None:
    pasted = (
        '<p style="color: red" class="MsoNormal">Hello <span style="font-weight: bold">big'
        "</span> <b>world</b><script>alert(1)</script></p>"
    )
    assert body_to_html(pasted) == "<p>Hello big <b>world</b></p>"


def test_the_body_toolbar_speaks_turkish() -> None:
    # Every label of the body's toolbar, read from its template, has a Turkish text.
    template = Path(desk_web.__file__).parent / "templates" / "desk" / "_fields.html"
    macro = template.read_text(encoding="utf-8").split("{% macro body(", 1)[1]
    labels = re.findall(r"""\bt\(["']([^"']+)["']\)""", macro)
    assert {"Bulleted list", "Numbered list", "Italic", "Link", "Formatting"} <= set(labels)
    untranslated = [text for text in labels if DESK_CATALOG.translate("tr", text) == text]
    assert untranslated == []
