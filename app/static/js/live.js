// Live results (issue 17): progressive enhancement of /competitions/<id>/live. Without this
// file the page has a "refresh" link. With it, the results region is fetched again every
// few seconds with If-None-Match: an unchanged competition answers 304 (nothing to do), a
// changed one answers the new region, which replaces the old one; a polite status message
// tells screen-reader users the results were updated. Polling pauses while the tab is hidden.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var region = document.querySelector("[data-live-region]");
    if (!region || !window.fetch) { return; }
    var status = document.querySelector("[data-live-status]");
    var url = region.getAttribute("data-live-url");
    var etag = region.getAttribute("data-etag");
    var seconds = parseFloat(region.getAttribute("data-poll-seconds")) || 20;
    var timer = null;

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(poll, seconds * 1000);
    }

    function poll() {
      if (document.hidden) { schedule(); return; }
      fetch(url, {
        headers: { "If-None-Match": "\"" + etag + "\"" },
        credentials: "same-origin",
        cache: "no-store"
      }).then(function (response) {
        if (response.status !== 200) { return null; }
        var tag = response.headers.get("ETag");
        return response.text().then(function (html) {
          if (tag) { etag = tag.replace(/^W\//, "").replace(/"/g, ""); }
          region.innerHTML = html;
          if (status) {
            // Clear first so the same message is announced again.
            status.textContent = "";
            window.setTimeout(function () {
              status.textContent = status.getAttribute("data-updated-message");
            }, 50);
          }
        });
      }).catch(function () { /* offline: try again later */ }).then(schedule, schedule);
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { poll(); }
    });
    schedule();
  });
})();
