// The portal's live wire and story actions. A file, not an inline <script>: the
// pages' Content-Security-Policy runs scripts from our origin only.
//
// On the wire page, the list (#wire-list, data-live="/portal/live?...") follows
// the server's event stream: each `wire` event carries the story's wire line
// drawn in HTML; a story already listed is replaced in place, a new one goes on
// top. On a story page (#story), an event for that story either replaces the
// text with the kill notice (a kill) or says a newer version is out, and a
// killed picture (#m-<id>) is taken off the page. A
// `signed_out` event (session ended, user removed, company suspended) leaves
// the page for the sign-in page.
"use strict";
(function () {
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function follow(url, onWire) {
    const status = document.getElementById("live-status");
    const source = new EventSource(url);
    source.addEventListener("open", function () {
      if (status) {
        status.textContent = status.dataset.liveText;
      }
      document.documentElement.dataset.live = "open";
    });
    source.addEventListener("error", function () {
      if (status) {
        status.textContent = status.dataset.pausedText;
      }
      document.documentElement.dataset.live = "paused";
    });
    source.addEventListener("wire", function (event) {
      onWire(JSON.parse(event.data));
    });
    source.addEventListener("signed_out", function (event) {
      source.close();
      window.location.assign(JSON.parse(event.data));
    });
  }

  function followWire(list) {
    follow(list.dataset.live, function (data) {
      const line = fragment(data.html);
      const old = document.getElementById("s-" + data.story_id);
      if (old) {
        const picked = old.querySelector("input[type=checkbox]");
        if (picked && picked.checked) {
          line.querySelector("input[type=checkbox]").checked = true;
        }
        old.remove();
      }
      list.prepend(line);
      const empty = document.getElementById("empty");
      if (empty) {
        empty.remove();
      }
    });
  }

  function followStory(story) {
    follow(story.dataset.live, function (data) {
      const picture = document.getElementById("m-" + data.story_id);
      if (picture && /\.killed$/.test(data.type)) {
        // A killed picture leaves the open page (and its section, if it was the last).
        const section = picture.closest("section");
        picture.remove();
        if (section && !section.querySelector("figure")) {
          section.remove();
        }
        return;
      }
      if (data.story_id !== story.dataset.story) {
        return;
      }
      if (data.notice_html) {
        document.getElementById("story-text").replaceChildren(fragment(data.notice_html));
        story.classList.add("killed");
        return;
      }
      if (Number(data.version) > Number(story.dataset.version)) {
        document.getElementById("newer").hidden = false;
      }
    });
    const copy = document.getElementById("copy-text");
    copy.addEventListener("click", function () {
      const text = document.getElementById("story-headline").innerText + "\n\n" +
        document.getElementById("story-text").innerText.trim();
      navigator.clipboard.writeText(text).then(function () {
        document.getElementById("copy-status").textContent = copy.dataset.copiedText;
      });
    });
    document.getElementById("print-story").addEventListener("click", function () {
      window.print();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const list = document.getElementById("wire-list");
    if (list && list.dataset.live) {
      followWire(list);
    }
    const story = document.getElementById("story");
    if (story) {
      followStory(story);
    }
  });
})();
