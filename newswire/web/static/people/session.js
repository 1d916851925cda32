// Sends the session's CSRF token with every htmx request to this site, as the
// X-CSRF-Token header the server checks on each state-changing request. The
// token is in <meta name="csrf-token"> (people/layout.html); a file, not an
// inline <script>, because the pages' Content-Security-Policy runs scripts
// from our origin only.
"use strict";
(function () {
  function token() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  document.addEventListener("htmx:config:request", function (event) {
    const request = event.detail && event.detail.ctx && event.detail.ctx.request;
    if (!request || !token()) {
      return;
    }
    const target = new URL(request.action || "", document.baseURI);
    if (target.origin === window.location.origin) {
      request.headers["X-CSRF-Token"] = token();
    }
  });
})();
