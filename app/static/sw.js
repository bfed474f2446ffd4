// Ronghe's service worker (issue 18). Served by /sw.js (app/sync/shell.py), which writes in
// the release version, the shell's URLs and the offline page's URL.
"use strict";
var VERSION = "__VERSION__";
var SHELL = "__SHELL__";
var OFFLINE_URL = "__OFFLINE__";
var SHELL_CACHE = "ronghe-shell-" + VERSION;
// Pages kept for offline use (today's and tomorrow's roll-calls, results screens): personal
// data, in this browser only; sign-out clears it (Clear-Site-Data and offline.js).
var PAGES_CACHE = "ronghe-pages";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(SHELL.map(function (url) { return new Request(url, { cache: "reload" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("ronghe-") === 0 && name !== SHELL_CACHE && name !== PAGES_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageKey(url) {
  var u = new URL(url);
  return u.origin + u.pathname;
}

function networkFirstPage(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.headers.get("X-Offline-Cache") === "keep") {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { cache.put(pageKey(request.url), copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES_CACHE).then(function (cache) {
      return cache.match(pageKey(request.url));
    }).then(function (kept) {
      return kept || caches.match(OFFLINE_URL);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data === "forget-pages") {
    event.waitUntil(caches.delete(PAGES_CACHE));
  } else if (typeof data.keep === "string" && data.keep.charAt(0) === "/" && data.keep.charAt(1) !== "/") {
    // A page opened before this worker controlled it: fetch it once more to keep it.
    event.waitUntil(fetch(data.keep, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && response.headers.get("X-Offline-Cache") === "keep") {
        return caches.open(PAGES_CACHE).then(function (cache) {
          return cache.put(pageKey(new URL(data.keep, self.location.origin).href), response);
        });
      }
    }).catch(function () {}));
  }
});
