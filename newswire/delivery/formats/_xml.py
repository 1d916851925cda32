"""XML helpers shared by NITF and NewsML-G2: namespaces, element building, HTML body -> NITF.

Stored bodies are sanitized HTML (see newswire.newsroom.bodies). NITF has its own element set,
so each allowed HTML tag maps to its NITF counterpart: p -> p, h2-h4 -> hl2, ul/ol/li
-> ul/ol/li, blockquote -> bq/block, a -> a, q -> q, br -> br, and the inline styles
(b, strong, i, em, u, cite, abbr, sub, sup) -> em with a class naming the style.
Text never passes through string concatenation, so <, & and quotes are always escaped.
"""

from __future__ import annotations

import html
from typing import Literal

import lxml.html
from lxml import etree

NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"
G2_NS = "http://iptc.org/std/nar/2006-10-01/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NITF_VERSION = "-//IPTC//DTD NITF 3.6//EN"

_Context = Literal["blocks", "mixed", "inline"]
_BLOCKS = {"p": "p", "h2": "hl2", "h3": "hl2", "h4": "hl2", "ul": "ul", "ol": "ol"}
_EM_CLASSES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "cite": "cite", "abbr": "abbr", "sub": "sub", "sup": "sup",
}  # fmt: skip


def sub(
    parent: etree._Element,
    ns: str,
    tag: str,
    text: str | None = None,
    attrs: dict[str, str] | None = None,
) -> etree._Element:
    """Append a child element in namespace `ns` with optional text and attributes."""
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs or {})
    if text is not None:
        element.text = text
    return element


def built(root: etree._Element, ns: str, path: str) -> etree._Element:
    """Return the element a builder always makes at `path` (names in `ns`, joined by `/`)."""
    found = root.find("/".join(f"{{{ns}}}{name}" for name in path.split("/")))
    assert found is not None, path
    return found


def to_bytes(root: etree._Element) -> bytes:
    """Serialize an element tree as a UTF-8 XML document with a declaration."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _append_text(dst: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(dst):
        dst[-1].tail = (dst[-1].tail or "") + text
    else:
        dst.text = (dst.text or "") + text


def _is_block(element: etree._Element) -> bool:
    return element.tag in _BLOCKS or element.tag in ("blockquote", "li")


def _convert(src: etree._Element, dst: etree._Element, context: _Context) -> None:
    """Copy the content of HTML element `src` into NITF element `dst`."""
    pending: etree._Element | None = None  # the <p> gathering loose inline content

    def target() -> etree._Element:
        nonlocal pending
        if context != "blocks":
            return dst
        if pending is None:
            pending = sub(dst, NITF_NS, "p")
        return pending

    if src.text and (context != "blocks" or src.text.strip()):
        _append_text(target(), src.text)
    for child in src:
        if not isinstance(child.tag, str):  # comments, processing instructions
            pass
        elif _is_block(child) and context != "inline":
            pending = None
            _convert_block(child, dst)
        elif _is_block(child):
            _append_text(dst, " " + child.text_content() + " ")
        else:
            _convert_inline(child, target())
        if child.tail and (context != "blocks" or child.tail.strip() or pending is not None):
            _append_text(target(), child.tail)


def _convert_block(src: etree._Element, dst: etree._Element) -> None:
    if src.tag == "blockquote":
        block = sub(sub(dst, NITF_NS, "bq"), NITF_NS, "block")
        _convert(src, block, "blocks")
    elif src.tag == "li":
        _convert(src, sub(dst, NITF_NS, "li"), "mixed")
    elif src.tag in ("ul", "ol"):
        listing = sub(dst, NITF_NS, _BLOCKS[src.tag])
        for item in src:
            if isinstance(item.tag, str):
                _convert(item, sub(listing, NITF_NS, "li"), "mixed")
    else:
        _convert(src, sub(dst, NITF_NS, _BLOCKS[src.tag]), "inline")


def _convert_inline(src: etree._Element, dst: etree._Element) -> None:
    if src.tag == "br":
        sub(dst, NITF_NS, "br")
        return
    if src.tag == "a":
        element = sub(dst, NITF_NS, "a")
        if src.get("href"):
            element.set("href", src.get("href", ""))
    elif src.tag == "q":
        element = sub(dst, NITF_NS, "q")
    elif src.tag in _EM_CLASSES:
        element = sub(dst, NITF_NS, "em", attrs={"class": _EM_CLASSES[src.tag]})
    else:  # not in the allow-list: keep the words, drop the markup
        _append_text(dst, src.text_content())
        return
    _convert(src, element, "inline")


def append_nitf_body(parent: etree._Element, body_html: str) -> None:
    """Append the NITF blocks for a stored HTML body to `parent` (e.g. body.content)."""
    if not body_html.strip():
        return
    container = lxml.html.fragment_fromstring(body_html, create_parent="div")
    _convert(container, parent, "blocks")


_HTML_FOR_NITF = {
    "p": "p", "hl2": "h2", "ul": "ul", "ol": "ol", "li": "li", "bq": "blockquote",
    "q": "q", "a": "a", "br": "br", "sub": "sub", "sup": "sup",
}  # fmt: skip
_HTML_FOR_EM = {
    "bold": "strong", "underline": "u", "sub": "sub", "sup": "sup", "cite": "cite", "abbr": "abbr",
}  # fmt: skip


def _html_tag(element: etree._Element) -> str | None:
    name = etree.QName(element).localname
    if name == "em":
        return _HTML_FOR_EM.get(element.get("class", ""), "em")
    return _HTML_FOR_NITF.get(name)


_CONTAINERS = {"div", "ul", "ol", "blockquote"}


def _squash(dst: etree._Element, text: str | None) -> str | None:
    """Collapse white space; drop what only indents blocks inside a container."""
    if not text:
        return None
    squashed = " ".join(text.split())
    if not squashed:
        return None if dst.tag in _CONTAINERS else " "
    return (" " if text[0].isspace() else "") + squashed + (" " if text[-1].isspace() else "")


def _to_html(src: etree._Element, dst: etree._Element) -> None:
    _append_text(dst, _squash(dst, src.text))
    for child in src:
        if isinstance(child.tag, str):
            tag = _html_tag(child)
            if tag is None:  # person, org, location, block, ...: keep the content
                _to_html(child, dst)
            else:
                element = etree.SubElement(dst, tag)
                if tag == "a" and child.get("href"):
                    element.set("href", child.get("href", ""))
                _to_html(child, element)
        _append_text(dst, _squash(dst, child.tail))


def nitf_blocks_to_html(container: etree._Element) -> str:
    """Return the HTML for the blocks of a NITF container such as body.content."""
    root = etree.Element("div")
    _to_html(container, root)
    return "".join(
        [html.escape(root.text, quote=False) if root.text and root.text.strip() else ""]
        + [etree.tostring(child, encoding="unicode", method="html") for child in root]
    )
