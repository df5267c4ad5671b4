// The answer editor: one text area per question, the coach's findings highlighted as the officer
// types, autosave with a visible state, and a choice (never a silent overwrite) when someone else
// saved the same answer meanwhile. Every piece of text goes in through textContent or value.
(function () {
  "use strict";

  var data = readJson("editor-data");
  var texts = Object.assign({}, readJson("editor-texts"), data.texts || {});
  var root = location.pathname.replace(/\/+$/, "");
  var session = randomId();
  var every = Math.max(300, (data.limits && data.limits.analyze_every_ms) || 700);
  var SAVE_AFTER = 2000;
  var SEVERE = ["high", "severe", "error", "must"];
  var INVISIBLE = /[\s\u200b\u200c\u200d\u2060\ufeff]/g;
  var numbers = new Intl.NumberFormat("th-TH");
  var pagesFormat = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 1 });

  var banner = document.getElementById("banner");
  var jump = document.getElementById("jump");
  var blocked = null;  // "gone", "forbidden" or "liff": nothing can be saved from this page
  var editors = [];

  // ---- small helpers -------------------------------------------------------------------

  function readJson(id) {
    var node = document.getElementById(id);
    try {
      return node ? JSON.parse(node.textContent) || {} : {};
    } catch (error) {
      return {};
    }
  }

  function say(key, values) {
    return String(texts[key] || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return values && values[name] !== undefined && values[name] !== null ? values[name] : whole;
    });
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clock(iso) {
    var at = iso ? new Date(iso) : new Date();
    if (isNaN(at.getTime())) at = new Date();
    return at.toLocaleTimeString("th-TH", { hour: "2-digit", minute: "2-digit" });
  }

  function post(path, payload, options) {
    options = options || {};
    return fetch(root + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": data.csrf || "" },
      body: JSON.stringify(payload),
      keepalive: Boolean(options.keepalive),
      signal: options.signal
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body || {} };
      });
    });
  }

  function showBanner(message, info) {
    banner.textContent = message;
    banner.classList.toggle("info", Boolean(info));
    banner.hidden = !message;
  }

  // A link that no longer saves: say so once, keep every text where it is.
  function block(reason, message) {
    if (blocked === "gone") return;
    blocked = reason;
    showBanner(message, false);
    editors.forEach(function (editor) { editor.refreshStatus(); });
  }

  function refuse(result) {
    if (result.status === 410) {
      block("gone", result.body.error || say("gone", { word: texts.edit_word }));
      return true;
    }
    if (result.status === 403) {
      block("forbidden", result.body.error || say("forbidden"));
      return true;
    }
    return false;
  }

  // ---- counting, as bot/analysis counts -------------------------------------------------

  // Characters that are neither whitespace nor zero-width, in code points (tokens.count_chars).
  function countChars(text) {
    return Array.from(text.replace(INVISIBLE, "")).length;
  }

  // A4 pages at 16 pt, paragraph by paragraph (bot/analysis/pages.estimate_pages).
  function estimatePages(text) {
    var lines = 0;
    text.split("\n").forEach(function (paragraph) {
      var body = paragraph.trim();
      if (body) lines += Math.ceil((Array.from(body).length + 10) / 62);
    });
    return lines / 34;
  }

  // Where the spans of an analysed text are in the text now: unchanged before the edit,
  // shifted after it, dropped inside it (until the next analysis).
  function shifter(before, after) {
    if (before === after) return function (span) { return span; };
    var start = 0;
    var limit = Math.min(before.length, after.length);
    while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
    var tail = 0;
    var same = function (back) {
      return before.charCodeAt(before.length - 1 - back) ===
        after.charCodeAt(after.length - 1 - back);
    };
    while (tail < limit - start && same(tail)) tail += 1;
    var oldEnd = before.length - tail;
    var delta = after.length - before.length;
    return function (span) {
      if (span[1] <= start) return span;
      if (span[0] >= oldEnd) return [span[0] + delta, span[1] + delta];
      return null;
    };
  }

  function spansOf(finding) {
    var spans = Array.isArray(finding.spans) ? finding.spans
      : (Array.isArray(finding.span) ? [finding.span] : []);
    return spans.filter(function (span) {
      return Array.isArray(span) && span.length === 2 && span[0] < span[1];
    });
  }

  // ---- one question ----------------------------------------------------------------------

  function Editor(question) {
    var self = this;
    this.number = question.number;
    this.budget = question.budget || {};
    this.base = question.base;
    this.revision = question.revision;
    this.savedText = question.text || "";
    this.savedAt = null;
    this.state = this.savedText ? "stored" : "empty";
    this.saving = null;
    this.saveAgain = false;
    this.saveTimer = null;
    this.conflict = null;
    this.analyzed = null;       // {text, findings} of the last analysis answered
    this.analyzeSeq = 0;
    this.analyzeTimer = null;
    this.analyzeAbort = null;
    this.lastAnalyzeAt = 0;
    this.firstPending = 0;
    this.active = -1;

    var template = document.getElementById("question-template");
    var node = template.content.firstElementChild.cloneNode(true);
    this.node = node;
    node.id = "q" + question.number;
    node.dataset.number = question.number;
    var part = function (selector) { return node.querySelector(selector); };
    part(".number").textContent = say("number", { number: question.number });
    part(".dimension").textContent = question.dimension || "";
    part(".points").textContent = question.points !== undefined && question.points !== null
      ? say("points", { points: question.points }) : "";
    part(".question-text").textContent = question.question || "";
    var guidance = Array.isArray(question.guidance) ? question.guidance
      : (question.guidance ? [question.guidance] : []);
    guidance.forEach(function (line) { part(".guidance ul").appendChild(el("li", null, line)); });
    part(".guidance").hidden = guidance.length === 0;

    this.area = part("textarea");
    this.area.value = this.savedText;
    this.area.id = "answer-" + question.number;
    this.area.setAttribute("aria-label", say("answer_label", { number: question.number }));
    this.backdrop = part(".backdrop");
    this.highlights = part(".highlights");
    this.counts = part(".counts");
    this.status = part(".status");
    this.retry = part(".retry");
    this.saveButton = part(".save");
    this.notice = part(".notice");
    this.conflictBox = part(".conflict-view");
    this.list = part(".finding-list");
    this.checking = part(".checking");
    this.checking.textContent = say("checking");

    this.area.addEventListener("input", function () { self.changed(); });
    this.area.addEventListener("scroll", function () {
      self.backdrop.scrollTop = self.area.scrollTop;
    });
    this.area.addEventListener("blur", function () { self.saveIfChanged(); });
    ["click", "keyup", "select", "focus"].forEach(function (type) {
      self.area.addEventListener(type, function () { self.followCaret(); });
    });
    this.saveButton.addEventListener("click", function () { self.save(); });
    this.retry.addEventListener("click", function () { self.save(); });
    part(".keep-mine").addEventListener("click", function () { self.keepMine(); });
    part(".keep-theirs").addEventListener("click", function () { self.keepTheirs(); });
    part(".merge").addEventListener("click", function () { self.merge(); });

    this.link = el("a", null, String(question.number));
    this.link.href = "#" + node.id;
    this.link.setAttribute("aria-label", say("number", { number: question.number }));
  }

  Editor.prototype.mount = function (parent) {
    parent.appendChild(this.node);
    jump.appendChild(this.link);
    this.fit();
    this.showCounts();
    this.showFindings();
    this.refreshStatus();
  };

  Editor.prototype.dirty = function () {
    return this.area.value !== this.savedText;
  };

  Editor.prototype.changed = function () {
    this.fit();
    this.showCounts();
    this.showFindings();
    this.hideNotice();
    if (this.conflict) {
      this.node.querySelector(".mine-text").textContent = this.area.value;
    } else if (this.dirty()) {
      this.state = "dirty";
      this.scheduleSave();
    } else {
      this.state = this.savedAt ? "saved" : "stored";
      clearTimeout(this.saveTimer);
    }
    this.refreshStatus();
    this.scheduleAnalyze();
  };

  // The text area grows with its text, so the page scrolls and never the box inside it.
  Editor.prototype.fit = function () {
    this.area.style.height = "auto";
    var border = this.area.offsetHeight - this.area.clientHeight;
    this.area.style.height = (this.area.scrollHeight + border) + "px";
    this.backdrop.scrollTop = this.area.scrollTop;
  };

  Editor.prototype.showCounts = function () {
    var text = this.area.value;
    var chars = countChars(text);
    var budget = this.budget;
    var line = say("counts", {
      chars: numbers.format(chars), max: numbers.format(budget.max_chars || 0),
      pages: pagesFormat.format(chars ? Math.max(0.1, estimatePages(text)) : 0),
      budget: pagesFormat.format(budget.pages || 0)
    });
    var kind = "";
    // The hard limit counts every code point, as the server refuses a save (413).
    if (budget.limit_chars && Array.from(text).length > budget.limit_chars) {
      kind = "limit";
      line += " · " + say("counts_limit", { limit: numbers.format(budget.limit_chars) });
    } else if (budget.max_chars && chars > budget.max_chars) {
      kind = "over";
      line += " · " + say("counts_over");
    } else if (chars > 0 && budget.min_chars && chars < budget.min_chars) {
      kind = "short";
      line += " · " + say("counts_short", { min: numbers.format(budget.min_chars) });
    }
    this.counts.textContent = line;
    this.counts.className = "counts" + (kind ? " " + kind : "");
  };

  // ---- findings ------------------------------------------------------------------------

  Editor.prototype.scheduleAnalyze = function () {
    var now = Date.now();
    if (!this.firstPending) this.firstPending = now;
    // After a pause in typing, or at the latest two intervals into a long burst; never two
    // requests closer than the interval.
    var due = Math.min(now + every, this.firstPending + 2 * every);
    var wait = Math.max(due, this.lastAnalyzeAt + every) - now;
    clearTimeout(this.analyzeTimer);
    this.analyzeTimer = setTimeout(this.analyze.bind(this), Math.max(0, wait));
  };

  Editor.prototype.analyze = function () {
    var self = this;
    var text = this.area.value;
    this.firstPending = 0;
    if (blocked || (this.analyzed && this.analyzed.text === text)) return Promise.resolve();
    var seq = ++this.analyzeSeq;
    if (this.analyzeAbort) this.analyzeAbort.abort();
    this.analyzeAbort = typeof AbortController === "function" ? new AbortController() : null;
    this.lastAnalyzeAt = Date.now();
    this.checking.hidden = false;
    return post("/analyze", { question: this.number, text: text },
                { signal: this.analyzeAbort ? this.analyzeAbort.signal : undefined })
      .then(function (result) {
        if (seq !== self.analyzeSeq) return;  // a later text was sent meanwhile
        self.checking.hidden = true;
        if (refuse(result)) return;
        if (result.status === 413) {
          self.analyzed = { text: text, findings: [], tooLong: result.body.error || "" };
        } else if (result.status === 200) {
          self.analyzed = { text: text, findings: result.body.findings || [] };
          if (result.body.budget) self.budget = result.body.budget;
        } else {
          return;
        }
        self.showCounts();
        self.showFindings();
      })
      .catch(function () {
        if (seq === self.analyzeSeq) self.checking.hidden = true;
      });
  };

  // The findings of the last analysis with their spans where they are in the text now.
  Editor.prototype.currentFindings = function () {
    if (!this.analyzed) return [];
    var move = shifter(this.analyzed.text, this.area.value);
    var length = this.area.value.length;
    return this.analyzed.findings.map(function (finding) {
      var spans = spansOf(finding);
      var moved = spans.map(move).filter(function (span) {
        return span && span[0] < length;
      }).map(function (span) { return [span[0], Math.min(span[1], length)]; });
      return { finding: finding, spans: moved, whole: spans.length === 0,
               severe: SEVERE.indexOf(finding.severity) >= 0 };
    });
  };

  Editor.prototype.showFindings = function () {
    var items = this.currentFindings();
    this.items = items;
    this.drawMarks(items);
    this.drawList(items);
    this.followCaret();
  };

  Editor.prototype.drawMarks = function (items) {
    var text = this.area.value;
    var cuts = [0, text.length];
    items.forEach(function (item) {
      item.spans.forEach(function (span) { cuts.push(span[0], span[1]); });
    });
    cuts = cuts.filter(function (cut, index) { return cuts.indexOf(cut) === index; })
      .sort(function (a, b) { return a - b; });
    var nodes = [];
    for (var i = 0; i + 1 < cuts.length; i += 1) {
      var from = cuts[i];
      var to = cuts[i + 1];
      var owners = [];
      var severe = false;
      items.forEach(function (item, index) {
        item.spans.forEach(function (span) {
          if (span[0] <= from && to <= span[1] && owners.indexOf(index) < 0) {
            owners.push(index);
            severe = severe || item.severe;
          }
        });
      });
      var piece = text.slice(from, to);
      if (!owners.length) {
        nodes.push(document.createTextNode(piece));
        continue;
      }
      var mark = el("mark", severe ? "severe" : null, piece);
      mark.dataset.findings = owners.join(" ");
      nodes.push(mark);
    }
    // A last line that is empty still takes a line's height in the text area.
    nodes.push(document.createTextNode(text.slice(-1) === "\n" ? " " : ""));
    this.highlights.replaceChildren.apply(this.highlights, nodes);
  };

  Editor.prototype.drawList = function (items) {
    var self = this;
    var rows = [];
    if (this.analyzed && this.analyzed.tooLong) {
      rows.push(el("li", "none", this.analyzed.tooLong));
    } else if (this.analyzed && items.length === 0) {
      rows.push(el("li", "none", say("no_findings")));
    }
    items.forEach(function (item, index) {
      var finding = item.finding;
      var row = el("li");
      var button = el("button", "finding" + (item.whole ? " whole" : "") +
                      (item.severe ? " severe" : ""));
      button.type = "button";
      button.dataset.code = finding.code || "";
      button.dataset.index = index;
      button.appendChild(el("span", "message", finding.message || ""));
      var where = el("span", "where");
      if (item.whole) {
        where.textContent = say("whole_answer");
      } else if (item.spans.length) {
        where.appendChild(el("q", null, self.area.value.slice(item.spans[0][0], item.spans[0][1])));
      } else if (finding.quote) {
        where.appendChild(el("q", null, finding.quote));
      }
      if (where.childNodes.length) button.appendChild(where);
      if (item.whole) {
        button.setAttribute("aria-disabled", "true");
      } else {
        button.addEventListener("click", function () { self.select(index); });
      }
      row.appendChild(button);
      rows.push(row);
    });
    this.list.replaceChildren.apply(this.list, rows);
  };

  // Tapping a finding selects the words it is about, in the text area.
  Editor.prototype.select = function (index) {
    var item = this.items && this.items[index];
    if (!item || !item.spans.length) return;
    var span = item.spans[0];
    this.area.focus({ preventScroll: true });
    this.area.setSelectionRange(span[0], span[1]);
    this.setActive(index);
    var mark = this.highlights.querySelector("mark.active");
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    (mark || this.area).scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  };

  Editor.prototype.followCaret = function () {
    if (document.activeElement !== this.area || !this.items) return;
    var at = this.area.selectionStart;
    var found = -1;
    this.items.forEach(function (item, index) {
      var here = item.spans.some(function (span) { return span[0] <= at && at <= span[1]; });
      if (found < 0 && here) found = index;
    });
    this.setActive(found);
  };

  Editor.prototype.setActive = function (index) {
    this.active = index;
    this.highlights.querySelectorAll("mark").forEach(function (mark) {
      mark.classList.toggle("active", mark.dataset.findings.split(" ").indexOf(String(index)) >= 0);
    });
    this.list.querySelectorAll(".finding").forEach(function (button) {
      button.classList.toggle("active", button.dataset.index === String(index));
    });
  };

  // ---- saving --------------------------------------------------------------------------

  Editor.prototype.scheduleSave = function () {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(this.save.bind(this), SAVE_AFTER);
  };

  Editor.prototype.saveIfChanged = function (options) {
    if (this.dirty() && !this.conflict && this.state !== "refused") return this.save(options);
    return Promise.resolve();
  };

  Editor.prototype.save = function (options) {
    var self = this;
    options = options || {};
    clearTimeout(this.saveTimer);
    if (blocked || this.conflict) return Promise.resolve();
    if (this.saving) {
      this.saveAgain = true;
      return this.saving;
    }
    var text = this.area.value;
    if (!this.dirty()) return Promise.resolve();  // what is in the box is what is stored
    this.state = "saving";
    this.refreshStatus();
    this.saving = post("/answers/" + this.number, { text: text, base: this.base, session: session },
                       { keepalive: options.keepalive })
      .then(function (result) { self.saved(text, result); }, function () {
        self.state = "failed";
        self.showNotice(say("offline"));
      })
      .finally(function () {
        self.saving = null;
        self.refreshStatus();
        if (self.saveAgain) {
          self.saveAgain = false;
          if (self.dirty() && self.state !== "refused") self.save();
        }
      });
    return this.saving;
  };

  Editor.prototype.saved = function (text, result) {
    var body = result.body;
    if (result.status === 200 && body.saved) {
      this.savedText = text;
      this.base = body.base;
      this.revision = body.revision;
      this.savedAt = body.saved_at || new Date().toISOString();
      this.state = this.dirty() ? "dirty" : "saved";
      this.showNotice("");
      if (this.dirty()) this.scheduleSave();
    } else if (result.status === 409 && body.theirs) {
      this.showConflict(body.theirs, body.message);
    } else if (result.status === 413 || result.status === 400) {
      // Over the limit, or empty: the next keystroke tries again, a retry would not help.
      this.state = "refused";
      this.showNotice(body.error || say("too_long", {
        limit: numbers.format(this.budget.limit_chars || this.budget.max_chars || 0) }));
    } else {
      this.state = "failed";
      if (!refuse(result) && body.error) this.showNotice(body.error);
    }
  };

  Editor.prototype.refreshStatus = function () {
    var line = "";
    var state = this.state;
    if (blocked && this.dirty()) state = "failed";
    if (state === "saving") line = say("saving");
    else if (state === "saved") line = say("saved_at", { time: clock(this.savedAt) });
    else if (state === "stored") line = this.revision ? say("stored") : "";
    else if (state === "dirty") line = say("dirty");
    else if (state === "failed" || state === "refused") line = say("failed");
    else if (state === "conflict") line = say("conflict_status");
    this.status.textContent = line;
    this.status.className = "status " + state;
    this.node.dataset.state = state;
    this.retry.hidden = state !== "failed" || Boolean(blocked);
    this.saveButton.disabled = Boolean(blocked) || state === "saving" || state === "conflict";
    this.link.classList.toggle("unsaved", this.dirty());
    this.link.classList.toggle("trouble", ["failed", "refused", "conflict"].indexOf(state) >= 0);
  };

  Editor.prototype.showNotice = function (message, hint) {
    this.notice.textContent = message;
    this.notice.hidden = !message;
    this.notice.classList.toggle("hint", Boolean(message && hint));
  };

  // A new keystroke answers a refusal; the merge hint stays until the merged text is saved.
  Editor.prototype.hideNotice = function () {
    if (this.state === "refused") this.state = "dirty";
    if (!this.notice.classList.contains("hint")) this.showNotice("");
  };

  // ---- someone else saved this answer meanwhile --------------------------------------------

  Editor.prototype.showConflict = function (theirs, message) {
    if (theirs.text === this.area.value) {
      this.adopt(theirs);
      this.state = "saved";
      this.savedAt = theirs.saved_at || new Date().toISOString();
      return;
    }
    this.conflict = theirs;
    this.state = "conflict";
    var box = this.conflictBox;
    var label = theirs.author
      ? say("theirs_by", { revision: theirs.revision, author: theirs.author })
      : say("theirs", { revision: theirs.revision });
    if (theirs.saved_at) label += " · " + clock(theirs.saved_at);
    box.querySelector(".theirs-label").textContent = label;
    box.querySelector(".theirs-text").textContent = theirs.text;
    box.querySelector(".mine-text").textContent = this.area.value;
    box.querySelector(".conflict-message").textContent =
      message || say("conflict_saved", { number: this.number });
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  };

  Editor.prototype.adopt = function (theirs) {
    this.base = theirs.base;
    this.revision = theirs.revision;
    this.savedText = theirs.text;
  };

  Editor.prototype.closeConflict = function () {
    var theirs = this.conflict;
    this.conflict = null;
    this.conflictBox.hidden = true;
    return theirs;
  };

  // Mine becomes the newest revision; theirs stays stored as the one before it.
  Editor.prototype.keepMine = function () {
    this.adopt(this.closeConflict());
    this.state = "dirty";
    return this.save();
  };

  Editor.prototype.keepTheirs = function () {
    var theirs = this.closeConflict();
    this.adopt(theirs);
    this.area.value = theirs.text;
    this.savedAt = theirs.saved_at || null;
    this.state = this.savedAt ? "saved" : "stored";
    this.changed();
  };

  // Both texts in the box, theirs first: the officer edits them into one, which then saves.
  Editor.prototype.merge = function () {
    var theirs = this.closeConflict();
    var mine = this.area.value;
    this.adopt(theirs);
    this.area.value = theirs.text.replace(/\s+$/, "") + "\n\n" + mine.replace(/^\s+/, "");
    this.changed();
    this.showNotice(say("merge_hint"), true);
    this.area.focus();
  };

  // ---- the page ------------------------------------------------------------------------

  function unsaved() {
    return editors.some(function (editor) {
      return editor.dirty() || editor.saving || editor.conflict;
    });
  }

  function lock(locked) {
    editors.forEach(function (editor) { editor.area.readOnly = locked; });
  }

  // Inside LINE: LIFF gives an ID token, the server checks it belongs to a member of the chat.
  function signInWithLine() {
    if (!data.needs_liff) return Promise.resolve(true);
    lock(true);
    showBanner(say("liff_checking"), true);
    var liff = window.liff;
    if (!liff || !data.liff_id) return Promise.resolve(false);
    return Promise.resolve(liff.init({ liffId: data.liff_id })).then(function () {
      if (!liff.isLoggedIn()) {
        liff.login({ redirectUri: location.href });
        return new Promise(function () { /* the page is leaving */ });
      }
      var token = liff.getIDToken();
      if (!token) return { status: 0, body: {} };
      return post("/liff", { id_token: token });
    }).then(function (result) {
      if (result.status !== 200) {
        showBanner(result.body.error || say("liff_failed"), false);
        return false;
      }
      showBanner("", false);
      mountAll(result.body.questions || []);  // the answers come once LINE vouched for the user
      lock(false);
      return true;
    }, function () { return false; });
  }

  function mountAll(questions) {
    var list = document.getElementById("questions");
    questions.forEach(function (question) {
      var editor = new Editor(question);
      editors.push(editor);
      editor.mount(list);
    });
  }

  function start() {
    if (!data.needs_liff) mountAll(data.questions || []);
    signInWithLine().then(function (ok) {
      if (!ok) {
        blocked = "liff";
        if (banner.hidden || banner.classList.contains("info")) {
          showBanner(say("liff_failed"), false);
        }
        return;
      }
      editors.forEach(function (editor, index) {
        if (editor.area.value.trim()) setTimeout(editor.analyze.bind(editor), index * 120);
      });
    });
  }

  window.addEventListener("resize", function () {
    editors.forEach(function (editor) { editor.fit(); });
  });
  document.addEventListener("selectionchange", function () {
    editors.forEach(function (editor) { editor.followCaret(); });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden") return;
    editors.forEach(function (editor) { editor.saveIfChanged({ keepalive: true }); });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved()) return;  // when saving is blocked too: a reminder to copy the text
    event.preventDefault();
    event.returnValue = say("leave_unsaved");
  });
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () {
      editors.forEach(function (editor) { editor.fit(); });
    });
  }

  start();
}());
