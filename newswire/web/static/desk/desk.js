// The newsroom desk's small progressive JavaScript (issue 17). Every page works without
// it (forms post, links open pages); with it: the monitoring view updates live, the
// editor counts, autosaves a few seconds after typing stops, keeps unsaved text across
// a reload, previews in place, files once per click, and answers keyboard shortcuts.
// A file, not an inline <script>: the pages' Content-Security-Policy forbids those.
"use strict";
(function () {
  const AUTOSAVE_MS = 2500;
  const LIST_FIELDS = ["categories", "subjects"];

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // The page's language: the desk pages hand the translated strings in a meta tag.
  const STRINGS = (function () {
    const meta = document.querySelector('meta[name="desk-strings"]');
    try { return meta ? JSON.parse(meta.content) : {}; } catch (error) { return {}; }
  })();

  function tr(text, values) {
    let translated = STRINGS[text] || text;
    for (const [name, value] of Object.entries(values || {})) {
      translated = translated.split("{" + name + "}").join(String(value));
    }
    return translated;
  }

  function say(element, text, bad) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle("problem", Boolean(bad));
  }

  // -- the monitoring view ------------------------------------------------------------
  function liveBoard(board) {
    const status = document.getElementById("live");
    let pending = false;
    let again = false;
    async function refresh() {
      if (pending) {
        again = true;  // a change arrived while fetching: fetch once more afterwards
        return;
      }
      pending = true;
      try {
        do {
          again = false;
          const response = await fetch(board.dataset.fragment, {headers: {"X-Desk-Fragment": "1"}});
          if (response.ok) {
            board.innerHTML = await response.text();
            board.dispatchEvent(new Event("desk:refreshed"));
          }
        } while (again);
      } finally {
        pending = false;
      }
    }
    const source = new EventSource(board.dataset.live);
    source.addEventListener("board", refresh);
    source.addEventListener("signed-out", function () {
      source.close();
      say(status, tr("Your session ended. Sign in again."), true);
    });
    source.addEventListener("open", function () { board.dataset.connected = "true"; });
  }

  // -- the story editor ---------------------------------------------------------------
  function fieldsOf(form) {
    const data = new FormData(form);
    const fields = {};
    for (const [name, value] of data.entries()) {
      if (name === "csrf_token" || name === "version") continue;
      if (LIST_FIELDS.includes(name)) {
        (fields[name] = fields[name] || []).push(String(value));
      } else {
        fields[name] = String(value);
      }
    }
    for (const name of LIST_FIELDS) {
      if (!(name in fields)) fields[name] = [];
      if (fields[name].length === 1 && fields[name][0].includes(",")) {
        fields[name] = fields[name][0].split(",").map((s) => s.trim()).filter(Boolean);
      }
    }
    fields["public"] = form.querySelector('[name="public"]').checked;
    return fields;
  }

  function counts(form) {
    for (const counter of form.querySelectorAll("[data-count-for]")) {
      const input = document.getElementById(counter.dataset.countFor);
      const text = input.value;
      // Block tags part words; inline ones (a, strong, em) do not ("notice</a>." is one).
      const words = text.replace(/<\/?(p|h[1-6]|li|ul|ol|blockquote|br)\b[^>]*>/gi, " ")
        .replace(/<[^>]+>/g, "").split(/\s+/).filter(Boolean).length;
      const limit = Number(counter.dataset.limit);
      const used = counter.dataset.unit === "words" ? words : text.length;
      counter.textContent = counter.dataset.unit === "words"
        ? words + " / " + limit + " words · " + text.length + " characters"
        : text.length + " / " + limit + " characters · " + words + " words";
      counter.classList.toggle("over", used > limit);
    }
  }

  function editor(form) {
    const status = document.getElementById("save-status");
    const version = form.querySelector('[name="version"]');
    const key = "newswire-desk-draft-" + form.dataset.draft;
    let timer = null;
    let saving = null;
    let dirty = false;
    let stopped = form.hasAttribute("data-read-only");
    let filing = false;

    // Unsaved text from before a reload (or a session that ended) comes back first.
    try {
      const kept = JSON.parse(localStorage.getItem(key) || "null");
      if (kept && String(kept.version) === version.value && !stopped) {
        restore(form, kept.fields, kept.names || {});
        dirty = true;
        say(status, tr("Restored what you typed before the page was reloaded; saving…"));
        schedule(200);
      } else if (kept) {
        localStorage.removeItem(key);
      }
    } catch (error) { /* storage unavailable: autosave still works */ }

    async function save() {
      if (stopped || !dirty) return true;
      const fields = fieldsOf(form);
      dirty = false;
      say(status, tr("Saving…"));
      let response;
      try {
        response = await fetch(form.dataset.saveUrl, {
          method: "POST",
          headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
          body: JSON.stringify({version: Number(version.value), fields: fields}),
        });
      } catch (error) {
        dirty = true;
        say(status, tr("Not saved: the desk cannot be reached. Your text is kept here."), true);
        return false;
      }
      if (response.ok) {
        const body = await response.json();
        version.value = String(body.version);
        if (!dirty) localStorage.removeItem(key);
        say(status, tr("Saved: version {version}, {time} UTC",
          {version: body.version, time: body.saved_at.slice(11, 19)}));
        return true;
      }
      dirty = true;
      let message = tr("Not saved.");
      try {
        const body = await response.json();
        message = body.error.message;
        if (response.status === 401) {
          message = tr("Your session ended. Your text is kept in this browser: sign in again "
            + "({url}) and reopen this story.", {url: body.error.sign_in});
        }
      } catch (error) { /* keep the plain message */ }
      if (response.status === 409 || response.status === 401 || response.status === 403) {
        stopped = true;
      }
      say(status, message, true);
      status.setAttribute("role", "alert");
      return false;
    }

    function flush() {
      clearTimeout(timer);
      saving = (saving || Promise.resolve(true)).then(save);
      return saving;
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(flush, delay);
    }

    function typed() {
      counts(form);
      dirty = true;
      try {
        localStorage.setItem(key, JSON.stringify(
          {version: version.value, fields: fieldsOf(form), names: topicNames(form)}));
      } catch (error) { /* storage full or off */ }
      schedule(AUTOSAVE_MS);
    }

    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    form.querySelector('[name="language"]').addEventListener("change", function () {
      storyLanguage(form);
    });
    storyLanguage(form);

    // The picture forms save the draft too: save what is typed first, then send them
    // at the version that save made (else they would be refused as stale).
    for (const pictures of document.querySelectorAll("form[data-pictures]")) {
      pictures.addEventListener("submit", function (event) {
        event.preventDefault();
        flush().then(function (saved) {
          if (!saved) return;
          localStorage.removeItem(key);
          pictures.querySelector('[name="version"]').value = version.value;
          HTMLFormElement.prototype.submit.call(pictures);
        });
      });
    }

    // Filing: save what is typed first, then post the form once; later clicks do nothing.
    form.addEventListener("submit", function (event) {
      if (filing) {
        event.preventDefault();
        return;
      }
      event.preventDefault();
      filing = true;
      const submitter = event.submitter;
      for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
      flush().then(function () {
        localStorage.removeItem(key);
        const action = submitter && submitter.getAttribute("formaction");
        if (action) form.action = action;
        HTMLFormElement.prototype.submit.call(form);
      });
    });

    // Preview in place, from what is saved (so save first).
    for (const link of document.querySelectorAll("[data-preview]")) {
      link.addEventListener("click", async function (event) {
        event.preventDefault();
        await flush();
        const response = await fetch(link.href, {headers: {"X-Desk-Fragment": "1"}});
        document.getElementById("preview").innerHTML = await response.text();
      });
    }

    topics(form, typed);
    formatting(form);
    counts(form);
    // Leaving the editor lets go of the lock at once (it would lapse anyway).
    window.addEventListener("pagehide", function () {
      if (filing || form.hasAttribute("data-read-only")) return;
      const data = new FormData();
      data.append("csrf_token", csrf());
      navigator.sendBeacon("/desk/drafts/" + form.dataset.draft + "/release", data);
    });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        dirty = true;
        flush();
      } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        const publish = form.querySelector("[data-publish]");
        if (publish && !publish.disabled) {
          event.preventDefault();
          form.requestSubmit(publish);
        }
      }
    });
  }

  // The story's own language and direction on its text fields: the browser's spell
  // checker follows `lang`, and Arabic or Hebrew text runs right to left.
  function storyLanguage(form) {
    const language = form.querySelector('[name="language"]').value.trim();
    const rtl = /^(ar|fa|he|ur|ps|sd|ug|yi|dv|ckb)(-|$)/i.test(language);
    for (const input of form.querySelectorAll("[data-story-text]")) {
      input.lang = language;
      input.dir = rtl ? "rtl" : "ltr";
    }
  }

  // The body's rich-text editor (richtext.js): an editable region and its toolbar in
  // place of the textarea, which it keeps filled with clean HTML, so everything here
  // (autosave, counts, preview, filing) still reads the textarea.
  function formatting(form) {
    const bar = form.querySelector("[data-format-for]");
    if (!bar || !window.NewswireRichText) return;
    window.NewswireRichText.attach(document.getElementById(bar.dataset.formatFor), bar);
  }

  function topicNames(form) {
    const names = {};
    for (const input of form.querySelectorAll('.chosen input[name="subjects"]')) {
      names[input.value] = input.parentElement.textContent.replace("×", "").trim();
    }
    return names;
  }

  function chip(code, name) {
    const item = document.createElement("li");
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "subjects";
    hidden.value = code;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.dataset.remove = "";
    remove.setAttribute("aria-label", tr("Remove {name}", {name: name}));
    remove.textContent = "×";
    item.append(hidden, name + " ", remove);
    return item;
  }

  function restore(form, fields, names) {
    for (const [name, value] of Object.entries(fields)) {
      if (name === "subjects") {
        const chosen = form.querySelector(".chosen");
        if (chosen) chosen.replaceChildren(...value.map((code) => chip(code, names[code] || code)));
        continue;
      }
      if (LIST_FIELDS.includes(name)) {
        for (const box of form.querySelectorAll('input[type=checkbox][name="' + name + '"]')) {
          box.checked = value.includes(box.value);
        }
        const text = form.querySelector('input[type=text][name="' + name + '"]');
        if (text) text.value = value.join(", ");
        continue;
      }
      const input = form.querySelector('[name="' + name + '"]');
      if (!input) continue;
      if (input.type === "checkbox") input.checked = Boolean(value);
      else input.value = value;
    }
  }

  // The Media Topics picker: search the vocabulary, choose, remove.
  function topics(form, changed) {
    const box = form.querySelector("[data-topics]");
    if (!box) return;
    const search = box.querySelector("input[type=search]");
    const found = box.querySelector(".found");
    const chosen = box.querySelector(".chosen");
    let timer = null;
    search.addEventListener("input", function (event) {
      event.stopPropagation();  // searching is not editing the story
      clearTimeout(timer);
      timer = setTimeout(async function () {
        const response = await fetch(box.dataset.topics + "?q=" + encodeURIComponent(search.value));
        found.innerHTML = await response.text();
      }, 200);
    });
    search.addEventListener("change", function (event) { event.stopPropagation(); });
    found.addEventListener("click", function (event) {
      const button = event.target.closest("[data-topic]");
      if (!button) return;
      if (!chosen.querySelector('input[value="' + button.dataset.topic + '"]')) {
        chosen.append(chip(button.dataset.topic, button.dataset.name));
        changed();
      }
      search.focus();
    });
    chosen.addEventListener("click", function (event) {
      const remove = event.target.closest("[data-remove]");
      if (!remove) return;
      remove.closest("li").remove();
      changed();
      search.focus();
    });
  }

  // -- keyboard shortcuts everywhere on the desk ----------------------------------------
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function shortcuts() {
    const help = document.getElementById("shortcuts");
    for (const button of document.querySelectorAll("[data-shortcuts]")) {
      button.addEventListener("click", function () { if (help) help.showModal(); });
    }
    document.addEventListener("keydown", function (event) {
      if (event.altKey && (event.key === "n" || event.key === "N")) {
        const create = document.querySelector("[data-new-story]");
        if (create) {
          event.preventDefault();
          create.closest("form").requestSubmit();
        }
        return;
      }
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "?" && help) {
        event.preventDefault();
        help.showModal();
      } else if (event.key === "/") {
        const find = document.querySelector("[data-filter]");
        if (find) {
          event.preventDefault();
          find.focus();
        }
      } else if (event.key === "j" || event.key === "k") {
        const items = Array.from(document.querySelectorAll("[data-item] a"));
        if (!items.length) return;
        const at = items.indexOf(document.activeElement);
        const next = event.key === "j" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
        items[at === -1 ? 0 : next].focus();
      }
    });
  }

  // The board's filter: show only the items whose text has what is typed.
  function filter(input) {
    const board = document.getElementById(input.dataset.filter);
    input.closest(".filter").hidden = false;
    function apply() {
      const wanted = input.value.trim().toLocaleLowerCase();
      for (const item of board.querySelectorAll("[data-item]")) {
        item.hidden = wanted !== "" && !item.textContent.toLocaleLowerCase().includes(wanted);
      }
    }
    input.addEventListener("input", apply);
    board.addEventListener("desk:refreshed", apply);
  }

  function start() {
    const find = document.querySelector("[data-filter]");
    if (find) filter(find);
    const board = document.getElementById("board");
    if (board && board.dataset.live) liveBoard(board);
    const form = document.getElementById("editor");
    if (form) editor(form);
    shortcuts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
