// Working at the venue on a phone, even offline (issue 18). Progressive enhancement: every
// form works without this file. With it:
// - the service worker (/sw.js) keeps the shell and the roll-call / results pages opened;
// - a roll-call mark or a results row is saved in place (fetch POST to /sync/…, CSRF token in
//   the X-CSRFToken header), focus stays where it was, the outcome is announced politely;
// - without a connection the mark waits in IndexedDB (client id, time made, version it was
//   based on) and is sent when the connection returns;
// - signing out first sends the waiting marks (with a connection); if some are left, it asks
//   (a modal <dialog>: "send later" keeps them, "sign out and discard" drops them), then clears
//   the kept pages and the queue. Nothing typed is dropped without the user saying so.
(function () {
  "use strict";
  var script = document.currentScript;
  var DB_NAME = "ronghe-sync";
  var BATCH = 50;

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- IndexedDB: the queue and the time of the last good send ------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("queue", { keyPath: "client_id" });
        db.createObjectStore("meta", { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  var queue = {
    all: function () { return tx("queue", "readonly", function (s) { return s.getAll(); }); },
    put: function (item) { return tx("queue", "readwrite", function (s) { s.put(item); }); },
    remove: function (ids) { return tx("queue", "readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); }); }
  };
  var meta = {
    get: function (key) { return tx("meta", "readonly", function (s) { return s.get(key); }); },
    put: function (key, value) { return tx("meta", "readwrite", function (s) { s.put({ key: key, value: value }); }); }
  };

  // --- the status line and the live region ---------------------------------------------------
  var status = null;
  var live = null;
  function announce(text) {
    if (!live) { return; }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  function notice(text) {
    if (!status) { return; }
    var p = document.createElement("p");
    p.className = "notice notice-warning";
    p.textContent = text;
    status.querySelector("[data-sync-notices]").appendChild(p);
  }
  // "2026-12-07 11:39:03" in the site's zone (Beijing), as the pages write times, whatever
  // zone the phone is set to.
  function siteTime(date, zone) {
    var p = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone || "Asia/Shanghai", hourCycle: "h23",
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit"
    }).formatToParts(date).forEach(function (part) { p[part.type] = part.value; });
    return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute + ":" + p.second;
  }

  function showLine(waiting) {
    if (!status) { return Promise.resolve(); }
    return meta.get("last_sent").then(function (row) {
      var d = status.dataset;
      var parts = [];
      if (!navigator.onLine) { parts.push(d.msgOffline); }
      parts.push(waiting ? fill(waiting === 1 ? d.msgWaitingOne : d.msgWaitingOther, { n: waiting }) : d.msgNoneWaiting);
      if (row && row.value) {
        var when = new Date(row.value);
        parts.push(fill(d.msgLastSent, { time: siteTime(when, d.timeZone) }));
      } else {
        parts.push(d.msgNeverSent);
      }
      status.querySelector("[data-sync-line]").textContent = parts.join(" ");
    });
  }

  // --- sending --------------------------------------------------------------------------------
  var handlers = {};  // kind -> {url, answer(item, result), refused(item, detail), superseded(notice)}
  var sending = null;
  var again = false;  // asked to send while a send was under way: once more after it
  var tokenUrl = null;  // the status line's, or the sign-out form's on a page without one

  function token() {
    return fetch(tokenUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw { status: response.status }; }
        return response.json();
      })
      .then(function (body) { return body.csrf_token; });
  }

  // ``ask``: also when nothing waits (on opening a page), so the answer can say which of the
  // user's earlier marks a colleague's later mark replaced.
  function flush(ask) {
    // A mark queued while a send is under way was not in what that send read: send again
    // after it, or the mark would wait for the next mark or the next "online".
    if (sending) { again = true; return sending; }
    sending = queue.all().then(function (items) {
      // Every waiting mark of the kinds this page can send, whichever page it was made on.
      items = items.filter(function (item) { return handlers[item.kind]; });
      if ((!items.length && ask !== true) || !navigator.onLine) { return items.length; }
      return token().then(function (csrf) {
        var kinds = Object.keys(handlers);
        var chain = Promise.resolve();
        kinds.forEach(function (kind) {
          var mine = items.filter(function (item) { return item.kind === kind; });
          if (!mine.length && ask === true) {
            chain = chain.then(function () { return send(kind, [], csrf); });
          }
          for (var i = 0; i < mine.length; i += BATCH) {
            (function (batch) { chain = chain.then(function () { return send(kind, batch, csrf); }); })(mine.slice(i, i + BATCH));
          }
        });
        return chain;
      }).catch(function (error) {
        if (error && error.status === 401 && status) { notice(status.dataset.msgSignIn); }
      }).then(function () { return queue.all(); }).then(function (left) { return left.length; });
    }).then(function (waiting) {
      sending = null;
      if (again) { again = false; return flush(); }
      return showLine(waiting);
    }, function () { sending = null; again = false; });
    return sending;
  }

  function send(kind, batch, csrf) {
    var handler = handlers[kind];
    return fetch(handler.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ marks: batch.map(function (item) { return item.payload; }) })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.json().then(function (body) {
        return { ok: response.ok, status: response.status, problem: type.indexOf("problem+json") !== -1, body: body };
      });
    }).then(function (answer) {
      if (answer.ok) {
        var byId = {};
        answer.body.results.forEach(function (result) { byId[result.client_id] = result; });
        batch.forEach(function (item) {
          var result = byId[item.client_id];
          if (result && item.page === location.pathname) { handler.answer(item, result); }
          else if (result && result.outcome === "invalid" && result.message && status) {
            // Refused for good (an event whose day has not come): dropped, so say so here.
            notice(fill(status.dataset.msgNotSavedElsewhere, { reason: result.message }));
          }
        });
        (answer.body.superseded || []).forEach(function (n) { handler.superseded(n); });
        return queue.remove(batch.map(function (item) { return item.client_id; })).then(function () {
          return meta.put("last_sent", new Date().toISOString());
        });
      }
      if (answer.status === 401) { throw { status: 401 }; }
      // A refused batch (400, 403, 413) would be refused again: say why at each mark, drop it.
      batch.forEach(function (item) {
        if (item.page === location.pathname) { handler.refused(item, answer.body.detail || answer.body.title); }
      });
      return queue.remove(batch.map(function (item) { return item.client_id; }));
    });
    // A network failure rejects: the marks stay queued for the next try.
  }

  function enqueue(kind, payload, replaces) {
    var item = { client_id: payload.client_id, kind: kind, page: location.pathname, payload: payload };
    return queue.all().then(function (items) {
      var stale = items.filter(replaces).map(function (old) { return old.client_id; });
      return stale.length ? queue.remove(stale) : null;
    }).then(function () { return queue.put(item); });
  }

  // --- roll-call ------------------------------------------------------------------------------
  function rollCall(list) {
    var d = list.dataset;
    var activity = Number(d.activity);
    handlers["roll-call"] = {
      url: status.dataset.syncUrl,
      answer: function (item, result) {
        var line = lineOf(item.payload.person_id);
        if (!line) { return; }
        line.classList.remove("rollcall-waiting");
        var what = nameOf(line);
        if (result.outcome === "applied") {
          showState(line, result.saved);
          announce(fill(status.dataset.msgSaved, { what: what + " " + stateText(result.saved, line) }));
        } else if (result.outcome === "superseded") {
          showState(line, result.saved);
          var text = fill(status.dataset.msgSuperseded, { what: what });
          lineError(line, text);
          announce(text);
        } else if (result.outcome === "invalid") {
          showState(line, savedOf(line));
          lineError(line, result.message);
          announce(result.message);
        }
      },
      refused: function (item, detail) {
        var line = lineOf(item.payload.person_id);
        if (line) { showState(line, savedOf(line)); lineError(line, detail); }
        announce(detail);
      },
      superseded: function (n) {
        var line = n.activity_id === activity && n.occurrence === d.occurrence ? lineOf(n.person_id) : null;
        if (line) { lineError(line, fill(status.dataset.msgSuperseded, { what: nameOf(line) })); }
        else { notice(status.dataset.msgSupersededElsewhere); }
      }
    };

    function lineOf(personId) { return list.querySelector("li[data-person='" + Number(personId) + "']"); }
    function nameOf(line) { return line.querySelector(".rollcall-name strong").textContent; }
    function reasonLabel(line, value) {
      var option = line.querySelector("select option[value='" + value + "']");
      return option ? option.textContent : value;
    }
    function stateText(saved, line) {
      if (!saved) { return d.msgUnmarked; }
      if (saved.status === "present") { return d.msgPresent; }
      return fill(d.msgAbsent, { reason: line ? reasonLabel(line, saved.reason) : saved.reason });
    }
    function savedOf(line) {
      return line.dataset.savedStatus ? { status: line.dataset.savedStatus, reason: line.dataset.savedReason || null } : null;
    }
    function showState(line, saved, waiting) {
      line.classList.remove("rollcall-marked-present", "rollcall-marked-absent");
      if (saved) { line.classList.add("rollcall-marked-" + saved.status); }
      line.classList.toggle("rollcall-waiting", !!waiting);
      if (!waiting) {
        if (saved) {
          line.dataset.savedStatus = saved.status;
          line.dataset.savedReason = saved.reason || "";
          if (saved.version) { line.dataset.version = saved.version; }
        }
        clearError(line);
      }
      line.querySelector(".rollcall-state").textContent = "– " + stateText(saved, line) + (waiting ? " (" + d.msgWaiting + ")" : "");
      var select = line.querySelector("select");
      if (select && saved && saved.status === "absent") { select.value = saved.reason; }
      counts();
    }
    function clearError(line) {
      var old = line.querySelector("[data-sync-error]");
      if (old) { old.remove(); }
      var select = line.querySelector("select");
      if (select) { select.removeAttribute("aria-invalid"); select.removeAttribute("aria-describedby"); }
    }
    function lineError(line, text) {
      clearError(line);
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = "member-" + line.dataset.person + "-sync-error";
      p.setAttribute("data-sync-error", "");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = d.msgError + " ";
      p.appendChild(hidden);
      p.appendChild(document.createTextNode(text));
      line.querySelector(".rollcall-name").insertAdjacentElement("afterend", p);
      var select = line.querySelector("select");
      if (select) { select.setAttribute("aria-invalid", "true"); select.setAttribute("aria-describedby", p.id); }
    }
    function counts() {
      var summary = document.getElementById("roll-call-summary");
      if (!summary || !summary.dataset.msgSummary) { return; }
      var lines = list.querySelectorAll("li.rollcall-line");
      var present = list.querySelectorAll("li.rollcall-marked-present").length;
      var absent = list.querySelectorAll("li.rollcall-marked-absent").length;
      var unmarked = lines.length - present - absent;
      summary.textContent = fill(summary.dataset.msgSummary, { present: present, absent: absent, unmarked: unmarked });
      // "Mark the N members not marked yet as present" says the same number, and goes at 0.
      var rest = document.querySelector("form.rollcall-rest button[data-msg-other]");
      if (rest) {
        rest.textContent = unmarked === 1 ? rest.dataset.msgOne : fill(rest.dataset.msgOther, { num: unmarked });
        rest.form.hidden = unmarked === 0;
      }
    }

    list.querySelectorAll("li.rollcall-line").forEach(function (line) {
      var state = line.className.match(/rollcall-marked-(present|absent)/);
      if (state) {
        var select = line.querySelector("select");
        line.dataset.savedStatus = state[1];
        line.dataset.savedReason = state[1] === "absent" && select ? select.value : "";
      }
    });

    list.addEventListener("submit", function (event) {
      var form = event.target;
      var line = form.closest("li.rollcall-line");
      var button = event.submitter;
      if (!line || !button || button.name !== "status") { return; }
      event.preventDefault();
      var chosen = button.value;
      var select = form.querySelector("select[name=reason]");
      var reason = chosen === "absent" && select ? select.value : null;
      if (chosen === "absent" && !reason) {
        lineError(line, d.msgChooseReason);
        select.focus();
        announce(d.msgChooseReason);
        return;
      }
      var payload = {
        client_id: newId(),
        activity_id: activity,
        occurrence: d.occurrence,
        person_id: Number(line.dataset.person),
        status: chosen,
        reason: reason,
        made_at: new Date().toISOString(),
        based_on: line.dataset.version || ""
      };
      showState(line, { status: chosen, reason: reason }, true);
      enqueue("roll-call", payload, function (old) {
        return old.kind === "roll-call" && old.page === location.pathname && old.payload.person_id === payload.person_id;
      }).then(function () {
        if (!navigator.onLine) {
          announce(fill(status.dataset.msgQueued, { what: nameOf(line) + " " + stateText({ status: chosen, reason: reason }, line) }));
        }
        return flush();
      });
    });

    return queue.all().then(function (items) {  // marks still waiting from an earlier visit
      items.forEach(function (item) {
        if (item.kind !== "roll-call" || item.page !== location.pathname) { return; }
        var line = lineOf(item.payload.person_id);
        if (line) { showState(line, { status: item.payload.status, reason: item.payload.reason }, true); }
      });
    });
  }

  // --- results --------------------------------------------------------------------------------
  var FIELDS = ["rank", "mark", "mark_value", "status", "medal", "notes"];

  function results(form) {
    var d = form.dataset;
    function box(entry, name, prefix) { return form.querySelector("[name='" + (prefix || "") + name + "-" + entry + "']"); }
    function values(entry, prefix) {
      var out = {};
      FIELDS.forEach(function (name) { var el = box(entry, name, prefix); out[name] = el ? el.value.trim() : ""; });
      return out;
    }
    function changed(entry) {
      var now = values(entry), was = values(entry, "was-");
      return FIELDS.some(function (name) { return now[name] !== was[name]; });
    }
    function setWas(entry, shown, version) {
      FIELDS.forEach(function (name) { var el = box(entry, name, "was-"); if (el) { el.value = shown[name]; } });
      if (version !== undefined) { versionBox(entry).value = version; }
    }
    function versionBox(entry) { return form.querySelector("[name='version-" + Number(entry) + "']"); }
    function fieldsetOf(entry) { return form.querySelector("fieldset[data-entry='" + Number(entry) + "']"); }
    function labelOf(entry, name) {
      var label = form.querySelector("label[for='" + name + "-" + entry + "']");
      if (!label) { return name; }
      var copy = label.cloneNode(true);
      copy.querySelectorAll(".optional").forEach(function (el) { el.remove(); });
      return copy.textContent.trim();
    }
    function shownText(entry, name, value) {
      var el = box(entry, name);
      if (el && el.tagName === "SELECT") {
        var option = el.querySelector("option[value='" + value + "']");
        if (option) { return option.textContent; }
      }
      return value || d.msgEmpty;
    }
    function clearRow(fieldset) {
      fieldset.querySelectorAll("[data-sync-error]").forEach(function (el) { el.remove(); });
      fieldset.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); });
      var waiting = fieldset.querySelector("[data-sync-waiting]");
      if (waiting) { waiting.remove(); }
    }
    function markWaiting(fieldset) {
      clearRow(fieldset);
      var p = document.createElement("p");
      p.className = "hint";
      p.setAttribute("data-sync-waiting", "");
      p.textContent = "(" + d.msgWaiting + ")";
      fieldset.insertBefore(p, fieldset.firstElementChild);
    }
    function fieldError(entry, name, text) {
      var el = box(entry, name);
      if (!el) { return; }
      var p = document.createElement("p");
      p.className = "field-error";
      p.id = name + "-" + entry + "-sync-error";
      p.setAttribute("data-sync-error", "");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = d.msgError + " ";
      p.appendChild(hidden);
      p.appendChild(document.createTextNode(text));
      el.insertAdjacentElement("beforebegin", p);
      el.setAttribute("aria-invalid", "true");
      el.setAttribute("aria-describedby", p.id);
    }
    function conflict(item, result) {
      var entry = item.payload.entry_id;
      var fieldset = fieldsetOf(entry);
      var old = form.querySelector("#conflict-" + entry);
      if (old) { old.remove(); }
      var section = document.createElement("section");
      section.className = "conflict";
      section.id = "conflict-" + entry;
      section.setAttribute("tabindex", "-1");
      section.setAttribute("aria-labelledby", "conflict-" + entry + "-heading");
      var h = document.createElement("h3");
      h.id = "conflict-" + entry + "-heading";
      h.textContent = d.msgConflictHeading;
      var p = document.createElement("p");
      p.textContent = d.msgConflictText;
      // As the form's 409 (results_screen._merge): boxes the user did not change take the saved
      // value, the others keep the user's; every field where the two differ is listed.
      var was = item.payload.was || {};
      var now = {};
      FIELDS.forEach(function (name) {
        now[name] = result.yours[name] === was[name] ? result.saved[name] : result.yours[name];
      });
      var table = document.createElement("table");
      var caption = table.createCaption();
      caption.id = "conflict-" + entry + "-caption";
      caption.textContent = d.msgDiffer;
      var region = document.createElement("div");  // as the page's own tables: scrolls, focusable
      region.className = "table-region";
      region.setAttribute("role", "region");
      region.setAttribute("tabindex", "0");
      region.setAttribute("aria-labelledby", caption.id);
      region.appendChild(table);
      var head = table.createTHead().insertRow();
      [d.msgField, d.msgYours, d.msgSavedVersion, d.msgNow].forEach(function (text) {
        var th = document.createElement("th"); th.scope = "col"; th.textContent = text; head.appendChild(th);
      });
      var body = table.createTBody();
      FIELDS.forEach(function (name) {
        if (result.yours[name] === result.saved[name]) { return; }
        var row = body.insertRow();
        var th = document.createElement("th"); th.scope = "row"; th.textContent = labelOf(entry, name); row.appendChild(th);
        row.insertCell().textContent = shownText(entry, name, result.yours[name]);
        row.insertCell().textContent = shownText(entry, name, result.saved[name]);
        row.insertCell().textContent = shownText(entry, name, now[name]);
      });
      FIELDS.forEach(function (name) { var el = box(entry, name); if (el) { el.value = now[name]; } });
      section.appendChild(h); section.appendChild(p); section.appendChild(region);
      fieldset.insertAdjacentElement("beforebegin", section);
      // Saving again is a deliberate overwrite made with both versions in view.
      setWas(entry, result.saved, result.version);
    }

    handlers.results = {
      url: status.dataset.syncUrl,
      answer: function (item, result) {
        var entry = item.payload.entry_id;
        var fieldset = fieldsetOf(entry);
        if (!fieldset) { return; }
        clearRow(fieldset);
        var row = fieldset.dataset.row;
        if (result.outcome === "applied") {
          // The boxes show what was stored ("２" is 2, "66.10" is 66.1), unless typed in since
          // the send; otherwise the row would look changed and be sent again at every visit.
          FIELDS.forEach(function (name) {
            var el = box(entry, name);
            if (el && el.value.trim() === item.payload.values[name] && name in result.saved) {
              el.value = result.saved[name];
            }
          });
          setWas(entry, result.saved, result.version);
          var old = form.querySelector("#conflict-" + entry);
          if (old) { old.remove(); }
          announce(fill(d.msgRowSaved, { row: row }));
        } else if (result.outcome === "conflict") {
          conflict(item, result);
          announce(fill(d.msgRowConflict, { row: row }));
        } else if (result.outcome === "invalid") {
          (result.errors || []).forEach(function (e) { fieldError(entry, e.field, e.message); });
          // No box named: the whole row is refused (the event's day has not come), said at its first box.
          if (!result.errors && result.message) { fieldError(entry, "rank", result.message); }
          if (result.message) { announce(result.message); }
        }
      },
      refused: function (item, detail) {
        var fieldset = fieldsetOf(item.payload.entry_id);
        if (fieldset) { clearRow(fieldset); fieldError(item.payload.entry_id, "rank", detail); }
        announce(detail);
      },
      superseded: function () { notice(status.dataset.msgSupersededElsewhere); }
    };

    function queueRow(entry) {
      var fieldset = fieldsetOf(entry);
      var payload = {
        client_id: newId(),
        entry_id: Number(entry),
        version: versionBox(entry).value,
        values: values(entry),
        was: values(entry, "was-"),
        made_at: new Date().toISOString()
      };
      markWaiting(fieldset);
      setWas(entry, payload.values);  // queued: no longer a change to send again
      return enqueue("results", payload, function (old) {
        return old.kind === "results" && old.page === location.pathname && old.payload.entry_id === payload.entry_id;
      }).then(function () {
        if (!navigator.onLine) { announce(fill(d.msgRowWaiting, { row: fieldset.dataset.row })); }
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var entries = Array.prototype.map.call(form.querySelectorAll("fieldset[data-entry]"), function (f) { return f.dataset.entry; });
      Promise.all(entries.filter(changed).map(queueRow)).then(function () { return flush(); });
    });
    // A row is saved when focus leaves it with a change (row by row, in place).
    form.addEventListener("focusout", function (event) {
      var fieldset = event.target.closest("fieldset[data-entry]");
      if (!fieldset || (event.relatedTarget && fieldset.contains(event.relatedTarget))) { return; }
      if (changed(fieldset.dataset.entry)) { queueRow(fieldset.dataset.entry).then(function () { return flush(); }); }
    });

    return queue.all().then(function (items) {
      items.forEach(function (item) {
        if (item.kind !== "results" || item.page !== location.pathname) { return; }
        var entry = item.payload.entry_id;
        var fieldset = fieldsetOf(entry);
        if (!fieldset) { return; }
        FIELDS.forEach(function (name) { var el = box(entry, name); if (el) { el.value = item.payload.values[name]; } });
        setWas(entry, item.payload.values);
        markWaiting(fieldset);
      });
    });
  }

  // --- sign-out: send what waits, ask before discarding the rest, forget ---------------------
  function forget() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("ronghe-pages") === 0; }).map(function (n) { return caches.delete(n); }));
      }));
    }
    if (window.indexedDB) {
      jobs.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    return Promise.all(jobs);
  }

  function waiting() {
    if (!window.indexedDB) { return Promise.resolve(0); }
    return queue.all().then(function (items) { return items.length; }, function () { return 0; });
  }

  // With a connection, send every waiting mark (of any page: the sign-out form knows the
  // sync addresses); answer how many are left. A send that hangs on a bad link is not waited
  // for more than 10 seconds.
  function sendBeforeLeaving(form) {
    return waiting().then(function (count) {
      if (!count || !navigator.onLine || !window.fetch) { return count; }
      var quiet = function () {};
      var urls = { "roll-call": form.dataset.rollCallUrl, results: form.dataset.resultsUrl };
      Object.keys(urls).forEach(function (kind) {
        if (!handlers[kind] && urls[kind]) {
          handlers[kind] = { url: urls[kind], answer: quiet, refused: quiet, superseded: quiet };
        }
      });
      var patience = new Promise(function (resolve) { window.setTimeout(resolve, 10000); });
      return Promise.race([flush(), patience]).then(waiting);
    });
  }

  // The question, as app/core/confirm asks it (the question, what happens, a warning button and
  // a way back), in a modal <dialog>: focus goes to "Send later" (the safe answer), Escape is
  // "Send later" too, and focus comes back to the sign-out button.
  function askBeforeDiscarding(form, count, discard) {
    var template = document.querySelector("template[data-sign-out-ask]");
    var back = form.querySelector("button[type=submit]");
    var dialog = template && template.content.firstElementChild.cloneNode(true);
    // The heading and the sentence under it, each in the count's form (one mark or more).
    function words(el) { return el ? fill(count === 1 ? el.dataset.msgOne : el.dataset.msgOther, { n: count }) : ""; }
    if (!dialog || typeof dialog.showModal !== "function") {
      var heading = template && template.content.querySelector("h2");
      var text = template && template.content.querySelector("p[data-msg-one]");
      if (window.confirm(words(heading) + (text ? "\n" + words(text) : ""))) { discard(); }
      return;
    }
    var h2 = dialog.querySelector("h2");
    h2.textContent = words(h2);
    var sentence = dialog.querySelector("p[data-msg-one]");
    sentence.textContent = words(sentence);
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (dialog.returnValue === "discard") { discard(); } else if (back) { back.focus(); }
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  function guardSignOut(form) {
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (form.dataset.forgotten) { return; }
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      var leave = function () {
        var go = function () { form.dataset.forgotten = "yes"; form.submit(); };
        forget().then(go, go);
      };
      sendBeforeLeaving(form).catch(waiting).then(function (count) {
        busy = false;
        if (!count) { leave(); } else { askBeforeDiscarding(form, count, leave); }
      });
    });
  }

  ready(function () {
    if ("serviceWorker" in navigator && script && script.dataset.swUrl && window.isSecureContext) {
      var uncontrolled = !navigator.serviceWorker.controller;
      navigator.serviceWorker.register(script.dataset.swUrl, { scope: "/" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        // This page was loaded before the worker controlled it: ask the worker to keep it.
        if (uncontrolled && document.querySelector("[data-sync-status]") && registration.active) {
          registration.active.postMessage({ keep: location.pathname + location.search });
        }
      }).catch(function () {});
    }
    var signOut = document.querySelector("form[data-sign-out]");
    if (signOut) { guardSignOut(signOut); }
    status = document.querySelector("[data-sync-status]");
    live = document.querySelector("[data-sync-live]");
    tokenUrl = status ? status.dataset.tokenUrl : signOut && signOut.dataset.tokenUrl;
    if (!status || !window.indexedDB || !window.fetch) { return; }
    // A results screen written before its event's day holds its rows in inert <template>s. A
    // copy kept offline from an earlier day opens them once the event's day has come here.
    var later = document.querySelectorAll("template[data-results-open-on]");
    var today = siteTime(new Date(), status.dataset.timeZone).slice(0, 10);
    if (later.length && today >= later[0].dataset.resultsOpenOn && today > later[0].dataset.renderedOn) {
      later.forEach(function (t) { t.replaceWith(t.content); });
      document.querySelectorAll("[data-results-too-early]").forEach(function (el) { el.remove(); });
    }
    var list = document.querySelector("[data-roll-call]");
    var resultsForm = document.querySelector("form[data-results][data-in-place]");
    var setups = [];
    if (list) { setups.push(rollCall(list)); }
    if (resultsForm) { setups.push(results(resultsForm)); }
    // A page with nothing saved in place (a published event's corrections) shows no sync line;
    // marks waiting from another page are still sent.
    status.hidden = setups.length === 0;
    Promise.all(setups).then(function () { return flush(true); });
    window.addEventListener("online", function () { flush(); });
    window.addEventListener("offline", function () { queue.all().then(function (items) { showLine(items.length); }); });
  });
})();
