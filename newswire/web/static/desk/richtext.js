// The story body's rich-text editor (issue 17): progressive enhancement of the body's
// <textarea>. Without JavaScript the textarea is the field; with it, an editable region
// and a toolbar take its place, and every change is written back into the (hidden)
// textarea as clean HTML: only p, h2, h3, blockquote, ul, ol, li, a href, strong, em and
// br. So autosave, counts, preview and publishing read the textarea as before, and the
// server still sanitizes what it receives. Pasted content goes through the same cleaner.
// A file, not an inline <script>: the desk's Content-Security-Policy forbids those, and
// style attributes too, so the editor never writes one (no insertHTML, no styleWithCSS).
"use strict";
window.NewswireRichText = (function () {
  const HEADINGS = {H1: "h2", H2: "h2", H3: "h3", H4: "h3", H5: "h3", H6: "h3"};
  const INLINE = {STRONG: "strong", B: "strong", EM: "em", I: "em"};
  const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "IFRAME", "OBJECT",
    "EMBED", "SVG", "MATH", "HEAD", "TITLE", "META", "LINK", "BUTTON", "SELECT", "TEXTAREA"]);
  const BLOCKISH = new Set(["P", "DIV", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "UL",
    "OL", "LI", "SECTION", "ARTICLE", "HEADER", "FOOTER", "MAIN", "ASIDE", "NAV", "FIGURE",
    "FIGCAPTION", "PRE", "TABLE", "TBODY", "THEAD", "TR", "TD", "TH", "DL", "DT", "DD", "BODY"]);

  function escape(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function safeHref(href) {
    const address = (href || "").trim();
    return /^(https?:|mailto:)/i.test(address) ? address : "";
  }

  // Inline content of a node: text, strong, em, links, line breaks; anything else
  // (span, font, u, ...) gives only its content, and scripts or styles give nothing.
  function inline(node) {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += escape(child.data.replace(/\s+/g, " "));
      } else if (child.nodeType === Node.ELEMENT_NODE && !DROPPED.has(child.nodeName)) {
        const tag = INLINE[child.nodeName];
        const inner = inline(child);
        if (child.nodeName === "BR") out += "<br>";
        else if (tag) out += inner.trim() ? "<" + tag + ">" + inner + "</" + tag + ">" : inner;
        else if (child.nodeName === "A" && safeHref(child.getAttribute("href"))) {
          out += '<a href="' + escape(safeHref(child.getAttribute("href"))).replace(/"/g, "&quot;")
            + '">' + inner + "</a>";
        } else if (BLOCKISH.has(child.nodeName)) out += " " + inner + " ";
        else out += inner;
      }
    }
    return out;
  }

  function tidy(html) {
    return html.replace(/\s+/g, " ").replace(/^\s*(<br>\s*)+|(\s*<br>)+\s*$/g, "").trim();
  }

  function hasText(html) {
    return html.replace(/<[^>]+>/g, "").replace(/&nbsp;|\u00a0/g, " ").trim() !== "";
  }

  // The blocks of a container: paragraphs, sub-heads, quotes and lists; loose inline
  // content between blocks becomes a paragraph, and empty blocks are left out.
  function blocks(container) {
    const out = [];
    let pending = document.createElement("div");
    function flush() {
      const html = tidy(inline(pending));
      if (hasText(html)) out.push("<p>" + html + "</p>");
      pending = document.createElement("div");
    }
    for (const child of Array.from(container.childNodes)) {
      const name = child.nodeName;
      if (child.nodeType === Node.ELEMENT_NODE && DROPPED.has(name)) continue;
      if (child.nodeType !== Node.ELEMENT_NODE || (!BLOCKISH.has(name) && name !== "BR")) {
        pending.appendChild(child.cloneNode(true));
        continue;
      }
      flush();
      if (name === "BR") continue;
      if (HEADINGS[name]) {
        const html = tidy(inline(child));
        if (hasText(html)) out.push("<" + HEADINGS[name] + ">" + html + "</" + HEADINGS[name] + ">");
      } else if (name === "BLOCKQUOTE") {
        const inner = blocks(child).join("");
        if (inner) out.push("<blockquote>" + inner + "</blockquote>");
      } else if (name === "UL" || name === "OL") {
        const items = Array.from(child.children).filter((item) => item.nodeName === "LI")
          .map((item) => tidy(inline(item))).filter(hasText);
        if (items.length) {
          const tag = name.toLowerCase();
          out.push("<" + tag + ">" + items.map((item) => "<li>" + item + "</li>").join("")
            + "</" + tag + ">");
        }
      } else if (name === "P" || name === "LI" || name === "PRE" || name === "DT"
        || name === "DD" || name === "FIGCAPTION" || name === "TH" || name === "TD") {
        const html = tidy(inline(child));
        if (hasText(html)) out.push("<p>" + html + "</p>");
      } else {
        // div, section, table...: a paragraph of its own, or the blocks it holds.
        const nested = Array.from(child.children).some((c) => BLOCKISH.has(c.nodeName));
        if (nested) out.push(...blocks(child));
        else {
          const html = tidy(inline(child));
          if (hasText(html)) out.push("<p>" + html + "</p>");
        }
      }
    }
    flush();
    return out;
  }

  // Parsed in an inert document: nothing in pasted or stored HTML runs or loads.
  // Style, event-handler and source attributes and style elements are cut from the markup
  // first: even an inert document reports them to the page's Content-Security-Policy
  // (they would never run; the walk above keeps none of them anyway).
  function parse(html) {
    html = html.replace(/<style[\s\S]*?<\/style\s*>/gi, "")
      .replace(/\s(style|on[a-z]+|src|srcset)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "");
    return new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html").body;
  }

  // Plain text (paragraphs at blank lines) or HTML, as the clean HTML the desk keeps.
  function clean(text) {
    if (!/<[a-z][^>]*>/i.test(text)) {
      return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
        .map((p) => "<p>" + escape(p).replace(/\n/g, "<br>") + "</p>").join("");
    }
    return blocks(parse(text)).join("");
  }

  function serialize(region) {
    return blocks(region).join("");
  }

  // The top-level block (a child of the region) that holds a node.
  function blockOf(region, node) {
    while (node && node.parentNode !== region) node = node.parentNode;
    return node && node.parentNode === region ? node : null;
  }

  function attach(textarea, toolbar) {
    const field = textarea.closest(".field");
    const label = field.querySelector("label[for='" + textarea.id + "']");
    const region = document.createElement("div");
    region.id = textarea.id + "-editor";
    region.className = "richtext";
    region.contentEditable = textarea.disabled || textarea.closest("fieldset:disabled")
      ? "false" : "true";
    region.setAttribute("role", "textbox");
    region.setAttribute("aria-multiline", "true");
    region.spellcheck = true;
    region.lang = textarea.lang;
    region.dir = textarea.dir;
    region.dataset.storyText = "";  // desk.js's storyLanguage keeps its lang and dir
    for (const name of ["aria-describedby", "aria-invalid"]) {
      if (textarea.hasAttribute(name)) region.setAttribute(name, textarea.getAttribute(name));
    }
    // The visible label names the region; it no longer points at the hidden textarea.
    label.id = label.id || textarea.id + "-label";
    label.removeAttribute("for");
    label.addEventListener("click", function () { region.focus(); });
    region.setAttribute("aria-labelledby", label.id);
    region.innerHTML = clean(textarea.value) || "<p><br></p>";
    textarea.hidden = true;
    textarea.before(region);
    toolbar.hidden = false;
    toolbar.setAttribute("aria-controls", region.id);

    function sync() {
      const html = serialize(region);
      if (html === textarea.value) return;
      textarea.value = html;
      textarea.dispatchEvent(new Event("input", {bubbles: true}));  // autosave, counts
    }
    // Typing: written to the textarea before the form's own listener reads it.
    region.addEventListener("input", function (event) {
      event.stopPropagation();
      sync();
    });

    function command(name, value) {
      region.focus();
      document.execCommand("styleWithCSS", false, false);
      document.execCommand(name, false, value);
      sync();
      state();
    }

    function currentBlock() {
      const selection = window.getSelection();
      if (!selection.rangeCount || !region.contains(selection.anchorNode)) return null;
      return blockOf(region, selection.anchorNode);
    }

    function block(tag) {
      const now = currentBlock();
      const same = now && now.nodeName.toLowerCase() === tag;
      command("formatBlock", "<" + (same ? "p" : tag) + ">");
    }

    function list(tag) {
      command(tag === "ol" ? "insertOrderedList" : "insertUnorderedList");
      // Chromium puts a list made from a paragraph inside that paragraph: lift it out.
      for (const paragraph of region.querySelectorAll(":scope > p")) {
        const lists = paragraph.querySelectorAll(":scope > ul, :scope > ol");
        if (lists.length && paragraph.children.length === lists.length
          && !paragraph.textContent.replace(lists[0].textContent, "").trim()) {
          paragraph.replaceWith(...lists);
        }
      }
      sync();
    }

    // A link: the address is asked for in the toolbar's own small form (Enter adds it,
    // Escape gives up); the words chosen before become the link, or the address itself.
    const linkForm = field.querySelector("[data-link-form]");
    const address = linkForm.querySelector("input");
    let chosen = null;
    function link() {
      const selection = window.getSelection();
      chosen = selection.rangeCount && region.contains(selection.anchorNode)
        ? selection.getRangeAt(0).cloneRange() : null;
      linkForm.hidden = false;
      address.value = "https://";
      address.focus();
    }
    function closeLink() {
      linkForm.hidden = true;
      region.focus();
      if (chosen) {
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(chosen);
      }
    }
    function addLink() {
      let href = address.value.trim();
      if (href && !/^[a-z][a-z0-9+.-]*:/i.test(href)) href = "https://" + href;
      const range = chosen;
      closeLink();
      if (!safeHref(href) || href === "https://") return;
      const selection = window.getSelection();
      if (!range || range.collapsed) {
        // No words chosen: the address itself becomes the linked text.
        command("insertText", href);
        const after = selection.getRangeAt(0);
        const start = after.cloneRange();
        start.setStart(after.startContainer, Math.max(0, after.startOffset - href.length));
        selection.removeAllRanges();
        selection.addRange(start);
      }
      command("createLink", href);
    }
    for (const type of ["input", "change"]) {
      address.addEventListener(type, (event) => event.stopPropagation());  // not the story
    }
    address.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // not the story's form
        addLink();
      } else if (event.key === "Escape") {
        event.preventDefault();
        closeLink();
      }
    });
    linkForm.addEventListener("click", function (event) {
      const button = event.target.closest("[data-link]");
      if (button) (button.dataset.link === "add" ? addLink : closeLink)();
    });

    const actions = {
      p: () => command("formatBlock", "<p>"),
      h2: () => block("h2"),
      h3: () => block("h3"),
      blockquote: () => block("blockquote"),
      ul: () => list("ul"),
      ol: () => list("ol"),
      strong: () => command("bold"),
      em: () => command("italic"),
    };

    // The toolbar: one Tab stop (arrow keys move between its buttons), buttons keep the
    // region's selection (mousedown does not take the focus from it).
    const buttons = Array.from(toolbar.querySelectorAll("button[data-format]"));
    buttons.forEach((button, at) => { button.tabIndex = at === 0 ? 0 : -1; });
    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) event.preventDefault();
    });
    toolbar.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-format]");
      if (!button || button.disabled) return;
      if (button.dataset.format === "a") link();
      else actions[button.dataset.format]();
    });
    toolbar.addEventListener("keydown", function (event) {
      const at = buttons.indexOf(document.activeElement);
      if (at === -1) return;
      const rtl = getComputedStyle(toolbar).direction === "rtl";
      const forward = (event.key === "ArrowRight") !== rtl;
      let next = null;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        next = (at + (forward ? 1 : -1) + buttons.length) % buttons.length;
      } else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = buttons.length - 1;
      if (next === null) return;
      event.preventDefault();
      buttons[at].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });

    region.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      if (key === "b") actions.strong();
      else if (key === "i") actions.em();
      else if (key === "k") link();
      else return;
      event.preventDefault();
    });

    // Paste: only text and the kept elements, never styles, scripts or spans.
    region.addEventListener("paste", function (event) {
      event.preventDefault();
      const data = event.clipboardData;
      const html = data.getData("text/html");
      const cleaned = html ? blocks(parse(html)).join("") : clean(data.getData("text/plain"));
      if (!cleaned) return;
      const nodes = parse(cleaned);
      const selection = window.getSelection();
      if (!selection.rangeCount || !region.contains(selection.anchorNode)) {
        region.append(...nodes.childNodes);
      } else if (nodes.children.length === 1 && nodes.firstElementChild.nodeName === "P") {
        // One paragraph: its words (and their bold, italics, links) go where the caret is.
        const range = selection.getRangeAt(0);
        range.deleteContents();
        range.insertNode(document.createRange().createContextualFragment(
          nodes.firstElementChild.innerHTML));
        range.collapse(false);
        selection.removeAllRanges();
        selection.addRange(range);
      } else {
        // Several blocks: after the block the caret is in (replacing it when empty).
        const range = selection.getRangeAt(0);
        range.deleteContents();
        const here = blockOf(region, range.startContainer);
        const inserted = Array.from(nodes.childNodes);
        if (here) {
          here.after(...inserted);
          if (!here.textContent.trim()) here.remove();
        } else {
          region.append(...inserted);
        }
        const end = document.createRange();
        end.selectNodeContents(inserted[inserted.length - 1]);
        end.collapse(false);
        selection.removeAllRanges();
        selection.addRange(end);
      }
      sync();
    });

    // Bold and italic buttons say whether the selection is bold or italic.
    function state() {
      if (!region.contains(document.getSelection().anchorNode)) return;
      for (const button of buttons) {
        const name = {strong: "bold", em: "italic"}[button.dataset.format];
        if (name) button.setAttribute("aria-pressed", String(document.queryCommandState(name)));
      }
    }
    document.addEventListener("selectionchange", state);
    document.execCommand("defaultParagraphSeparator", false, "p");
    return region;
  }

  return {attach: attach, clean: clean};
})();
