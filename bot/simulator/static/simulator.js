// The simulated LINE chat: sends what the officer types or taps to /sim/send and draws the
// LINE messages the bot sent (text, quick replies, Flex bubbles) the way LINE draws them.
// Every piece of text goes in through textContent; links are opened only for http(s) and tel.
(function () {
  "use strict";

  var USER_KEY = "lertrat-sim:user";
  var LOG_PREFIX = "lertrat-sim:log:";
  var MAX_LOG = 300;
  var POLL_MS = 3000;
  var SIZES = { xxs: "11px", xs: "13px", sm: "14px", md: "16px", lg: "19px", xl: "22px",
                xxl: "29px", "3xl": "35px", "4xl": "48px", "5xl": "74px" };
  var SPACING = { none: "0", xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px", xxl: "20px" };
  var BORDERS = { none: "0", light: "0.5px", normal: "1px", medium: "2px", "semi-bold": "3px",
                  bold: "4px" };
  var ALIGN = { start: "flex-start", end: "flex-end", center: "center" };
  var GRAVITY = { top: "flex-start", bottom: "flex-end", center: "center" };

  var phone = document.getElementById("phone");
  var chat = document.getElementById("chat");
  var chips = document.getElementById("quick-replies");
  var composer = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var menu = document.getElementById("rich-menu");
  var chatBar = document.getElementById("chat-bar");
  var botName = phone.dataset.botName;

  var userId = null;
  var log = [];
  var queue = Promise.resolve();
  var lastRow = null;

  // ---- small helpers -------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function newUserId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    // "sim-" and 32 hex digits: never a LINE id (U, C or R and 32 hex digits).
    return "sim-" + Array.prototype.map.call(bytes, function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function clock(at) {
    return new Date(at).toLocaleTimeString("th-TH", { hour: "2-digit", minute: "2-digit" });
  }

  function safeUri(uri) {
    try {
      var url = new URL(String(uri));
      return ["http:", "https:", "tel:"].indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function cssLength(value, table) {
    if (table && Object.prototype.hasOwnProperty.call(table, value)) return table[value];
    return /^\d+(\.\d+)?(px|%)$/.test(String(value)) ? String(value) : null;
  }

  function cssColor(value) {
    return /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(String(value)) ? String(value) : null;
  }

  function scrollDown() {
    chat.scrollTop = chat.scrollHeight;
  }

  // ---- the transcript (kept per simulated user in localStorage) -------------------------

  function loadLog() {
    try {
      var stored = JSON.parse(localStorage.getItem(LOG_PREFIX + userId) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (error) {
      return [];
    }
  }

  function saveLog() {
    log = log.slice(-MAX_LOG);
    try {
      localStorage.setItem(LOG_PREFIX + userId, JSON.stringify(log));
    } catch (error) {
      // Storage full or disabled: the chat still works, it just won't survive a reload.
    }
  }

  function add(entry) {
    entry.at = entry.at || Date.now();
    log.push(entry);
    saveLog();
    draw(entry);
  }

  // ---- drawing entries -------------------------------------------------------------------

  function draw(entry) {
    if (entry.who === "notice") {
      chat.appendChild(el("div", "notice", entry.text));
      lastRow = null;
    } else if (entry.who === "mine") {
      drawMine(entry);
    } else {
      drawTheirs(entry);
    }
    scrollDown();
  }

  function drawMine(entry) {
    var row = el("div", "row mine");
    var line = el("div", "line");
    var meta = el("div", "meta");
    meta.appendChild(el("span", null, "อ่านแล้ว"));
    meta.appendChild(el("span", null, clock(entry.at)));
    line.appendChild(meta);
    if (entry.attachment) {
      var attachment = el("div", "bubble " + entry.attachment, entry.text);
      attachment.setAttribute("aria-label", entry.label || entry.attachment);
      line.appendChild(attachment);
    } else {
      line.appendChild(el("div", "bubble", entry.text));
    }
    row.appendChild(line);
    chat.appendChild(row);
    lastRow = "mine";
  }

  function drawTheirs(entry) {
    var first = lastRow !== "theirs";
    var row = el("div", "row theirs" + (first ? " first" : ""));
    var stack = el("div", "stack");
    if (first) {
      row.appendChild(el("div", "avatar", "โค้ช"));
      stack.appendChild(el("div", "sender", botName));
    }
    var line = el("div", "line");
    line.appendChild(renderMessage(entry.message || {}));
    line.appendChild(el("div", "meta", clock(entry.at)));
    stack.appendChild(line);
    row.appendChild(stack);
    chat.appendChild(row);
    lastRow = "theirs";
  }

  function renderMessage(message) {
    if (message.type === "text") return textBubble(message.text || "");
    if (message.type === "textV2") return textBubble(withMentions(message));
    if (message.type === "flex" && message.contents) return renderContainer(message.contents);
    var bubble = el("div", "bubble unsupported");
    bubble.textContent = "[ข้อความประเภท " + message.type + "]" +
      (message.altText ? " " + message.altText : "");
    return bubble;
  }

  // A text message v2 names a member with {key} and a mention substitution: show "@สมาชิก".
  function withMentions(message) {
    var subs = message.substitution || {};
    return (message.text || "").replace(/\{([A-Za-z0-9_]+)\}/g, function (whole, key) {
      return subs[key] && subs[key].type === "mention" ? "@สมาชิก" : whole;
    });
  }

  function textBubble(text) {
    var bubble = el("div", "bubble");
    var pattern = /https?:\/\/[^\s<>"]+/g;
    var at = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      bubble.appendChild(document.createTextNode(text.slice(at, match.index)));
      var href = safeUri(match[0]);
      var link = el("a", null, match[0]);
      if (href) {
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
      }
      bubble.appendChild(link);
      at = match.index + match[0].length;
    }
    bubble.appendChild(document.createTextNode(text.slice(at)));
    return bubble;
  }

  // ---- Flex messages ---------------------------------------------------------------------

  function renderContainer(container) {
    if (container.type === "carousel") {
      var carousel = el("div", "flex-carousel");
      (container.contents || []).forEach(function (bubble) {
        carousel.appendChild(renderBubble(bubble));
      });
      return carousel;
    }
    return renderBubble(container);
  }

  function renderBubble(bubble) {
    var node = el("div", "flex-bubble " + (bubble.size || "mega"));
    var styles = bubble.styles || {};
    ["header", "hero", "body", "footer"].forEach(function (block) {
      if (!bubble[block]) return;
      var style = styles[block] || {};
      if (style.separator && node.childNodes.length) {
        var rule = el("hr", "flex-separator");
        if (cssColor(style.separatorColor)) rule.style.borderTopColor = style.separatorColor;
        node.appendChild(rule);
      }
      var part = renderComponent(bubble[block], "vertical");
      part.classList.add("flex-" + block);
      if (cssColor(style.backgroundColor)) part.style.backgroundColor = style.backgroundColor;
      node.appendChild(part);
    });
    return node;
  }

  function renderComponent(component, parentLayout) {
    var node;
    switch (component.type) {
      case "box": node = renderBox(component); break;
      case "text": node = renderText(component); break;
      case "button": node = renderButton(component); break;
      case "separator":
        node = el("hr", "flex-separator");
        if (cssColor(component.color)) node.style.borderTopColor = component.color;
        break;
      case "filler": case "spacer": node = el("div", "flex-filler"); break;
      default:
        node = el("div", "flex-placeholder", "[" + component.type + "]");
    }
    sizeInParent(node, component, parentLayout);
    if (component.action && component.type !== "button") wire(node, component.action);
    return node;
  }

  function sizeInParent(node, component, parentLayout) {
    var horizontal = parentLayout !== "vertical";
    var width = cssLength(component.width);
    if (width && horizontal) {
      node.style.flex = "0 0 " + width;
    } else {
      var grow = component.flex !== undefined ? component.flex
        : (horizontal && component.type !== "separator" ? 1 : 0);
      node.style.flex = grow > 0 ? grow + " 1 0" : "0 0 auto";
    }
    if (width) node.style.width = width;
    var height = cssLength(component.height);
    if (height && component.type !== "button") node.style.height = height;
    if (horizontal && GRAVITY[component.gravity]) node.style.alignSelf = GRAVITY[component.gravity];
  }

  function renderBox(box) {
    var layout = ["horizontal", "baseline"].indexOf(box.layout) >= 0 ? box.layout : "vertical";
    var node = el("div", "flex-box " + layout);
    var gap = cssLength(box.spacing, SPACING);
    (box.contents || []).forEach(function (child, index) {
      var childNode = renderComponent(child, layout);
      var margin = cssLength(child.margin, SPACING) || (index > 0 ? gap : null);
      if (margin && index > 0) {
        if (layout === "vertical") childNode.style.marginTop = margin;
        else childNode.style.marginLeft = margin;
      }
      node.appendChild(childNode);
    });
    var color = cssColor(box.backgroundColor);
    if (color) node.style.backgroundColor = color;
    var radius = cssLength(box.cornerRadius, SPACING);
    if (radius) node.style.borderRadius = radius;
    var border = cssLength(box.borderWidth, BORDERS);
    if (border) node.style.border = border + " solid " + (cssColor(box.borderColor) || "#000000");
    [["paddingAll", "padding"], ["paddingTop", "paddingTop"], ["paddingBottom", "paddingBottom"],
     ["paddingStart", "paddingLeft"], ["paddingEnd", "paddingRight"]].forEach(function (pair) {
      var value = cssLength(box[pair[0]], SPACING);
      if (value) node.style[pair[1]] = value;
    });
    if (ALIGN[box.justifyContent]) node.style.justifyContent = ALIGN[box.justifyContent];
    if (ALIGN[box.alignItems]) node.style.alignItems = ALIGN[box.alignItems];
    if (cssLength(box.height) && (box.contents || []).length === 0) node.style.minHeight = box.height;
    if (box.height) node.style.overflow = "hidden";
    return node;
  }

  function renderText(component) {
    var node = el("div", "flex-text" + (component.wrap ? "" : " nowrap"));
    if (Array.isArray(component.contents) && component.contents.length) {
      component.contents.forEach(function (span) {
        var part = el("span", null, span.text || "");
        styleText(part, span);
        node.appendChild(part);
      });
    } else {
      node.textContent = component.text || "";
    }
    styleText(node, component);
    if (component.align === "end") node.style.textAlign = "right";
    if (component.align === "center") node.style.textAlign = "center";
    if (component.maxLines > 0 && component.wrap) {
      node.style.display = "-webkit-box";
      node.style.webkitBoxOrient = "vertical";
      node.style.webkitLineClamp = String(component.maxLines);
      node.style.overflow = "hidden";
    }
    return node;
  }

  function styleText(node, component) {
    node.style.fontSize = cssLength(component.size, SIZES) || SIZES.md;
    if (component.weight === "bold") node.style.fontWeight = "700";
    if (component.style === "italic") node.style.fontStyle = "italic";
    if (component.decoration === "underline") node.style.textDecoration = "underline";
    if (component.decoration === "line-through") node.style.textDecoration = "line-through";
    if (cssColor(component.color)) node.style.color = component.color;
  }

  function renderButton(component) {
    var action = component.action || {};
    var style = ["primary", "secondary"].indexOf(component.style) >= 0 ? component.style : "link";
    var href = action.type === "uri" ? safeUri(action.uri) : null;
    var node = el(href ? "a" : "button", "flex-button " + style +
                  (component.height === "sm" ? " sm" : ""), action.label || "");
    if (href) {
      node.href = href;
      node.target = "_blank";
      node.rel = "noopener noreferrer";
    } else {
      node.type = "button";
      wire(node, action);
    }
    var color = cssColor(component.color);
    if (color && style === "link") node.style.color = color;
    else if (color) node.style.backgroundColor = color;
    return node;
  }

  // ---- actions: buttons, chips, menu areas -------------------------------------------------

  function perform(action) {
    if (action.type === "message" && action.text) {
      say(action.text);
    } else if (action.type === "postback" && action.data) {
      postback(action);
    } else if (action.type === "uri" && safeUri(action.uri)) {
      window.open(safeUri(action.uri), "_blank", "noopener");
    } else if (action.type === "clipboard" && action.clipboardText) {
      copyText(action.clipboardText);
    }
  }

  // LINE puts a clipboard action's text on the phone's clipboard; the page does the same.
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(function () { copyByTextarea(text); });
    } else {
      copyByTextarea(text);
    }
  }

  function copyByTextarea(text) {
    var area = el("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (ignored) { /* nothing else to try */ }
    area.remove();
  }

  function supported(action) {
    return (action.type === "message" && action.text) ||
      (action.type === "postback" && action.data) || (action.type === "uri" && safeUri(action.uri)) ||
      (action.type === "clipboard" && action.clipboardText);
  }

  function wire(node, action) {
    if (!supported(action)) {
      node.setAttribute("aria-disabled", "true");
      node.title = "ปุ่มแบบนี้ใช้ได้ในแอป LINE เท่านั้น";
      return;
    }
    node.classList.add("tappable");
    node.addEventListener("click", function (event) {
      event.preventDefault();
      perform(action);
    });
  }

  function showQuickReplies() {
    chips.replaceChildren();
    var last = log[log.length - 1];
    var items = last && last.who === "theirs" && last.message && last.message.quickReply
      ? last.message.quickReply.items || [] : [];
    items.forEach(function (item) {
      var action = item.action || {};
      var chip = el("button", "chip", action.label || action.text || "");
      chip.type = "button";
      if (supported(action)) {
        chip.addEventListener("click", function () { perform(action); });
      } else {
        chip.disabled = true;
        chip.title = "ปุ่มแบบนี้ใช้ได้ในแอป LINE เท่านั้น";
      }
      chips.appendChild(chip);
    });
    chips.hidden = items.length === 0;
    chips.scrollLeft = 0;
    scrollDown();
  }

  // ---- talking to the simulator ----------------------------------------------------------

  function say(text) {
    if (!text.trim()) return;
    add({ who: "mine", text: text });
    send("/sim/send", { user: userId, text: text });
  }

  // A sticker or a photo: LINE sends the bot a message event with no text in it.
  function attach(button) {
    add({ who: "mine", attachment: button.dataset.message, text: button.dataset.shown,
          label: button.dataset.label });
    send("/sim/send", { user: userId, message: button.dataset.message });
  }

  function postback(action) {
    if (action.displayText) add({ who: "mine", text: action.displayText });
    send("/sim/send", { user: userId, postback: { data: action.data } });
    // LINE opens the keyboard with the sentence to complete; the page fills its input box.
    if (action.inputOption === "openKeyboard" && typeof action.fillInText === "string") {
      input.value = action.fillInText;
      resizeInput();
      input.focus();
    }
  }

  function send(path, payload) {
    chips.hidden = true;
    queue = queue.then(function () { return exchange(path, payload); });
    return queue;
  }

  function exchange(path, payload) {
    var typing = showTyping();
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        typing.remove();
        (answer.messages || []).forEach(function (message) {
          add({ who: "theirs", message: message });
        });
        if (!response.ok) {
          add({ who: "notice", text: "ส่งไม่สำเร็จ: " + (answer.error || "HTTP " + response.status) });
        }
      });
    }).catch(function () {
      typing.remove();
      add({ who: "notice", text: "ติดต่อเซิร์ฟเวอร์จำลองไม่ได้ ลองใหม่อีกครั้ง" });
    }).then(showQuickReplies);
  }

  // What the outbox's sender sent later (a retried reply, a push): asked for every few seconds,
  // in the same queue as the sends, so that messages keep their order.
  function poll() {
    if (!userId) return;
    queue = queue.then(function () {
      return fetch("/sim/pushes?user=" + encodeURIComponent(userId)).then(function (response) {
        return response.ok ? response.json() : {};
      }).then(function (answer) {
        (answer.messages || []).forEach(function (message) {
          add({ who: "theirs", message: message });
        });
        if ((answer.messages || []).length) showQuickReplies();
      }).catch(function () {});
    });
  }

  function showTyping() {
    var row = el("div", "row theirs first typing-row");
    row.appendChild(el("div", "avatar", "โค้ช"));
    var bubble = el("div", "bubble typing");
    bubble.setAttribute("aria-label", "กำลังพิมพ์");
    for (var i = 0; i < 3; i += 1) bubble.appendChild(el("span"));
    row.appendChild(bubble);
    chat.appendChild(row);
    scrollDown();
    return row;
  }

  // ---- the page ------------------------------------------------------------------------

  function start(fresh) {
    chat.replaceChildren(el("div", "day", "วันนี้"));
    lastRow = null;
    userId = fresh ? null : localStorage.getItem(USER_KEY);
    if (userId && /^sim-[0-9a-f]{32}$/.test(userId)) {
      log = loadLog();
      log.forEach(draw);
      showQuickReplies();
      return;
    }
    userId = newUserId();
    localStorage.setItem(USER_KEY, userId);
    log = [];
    add({ who: "notice", text: "คุณเพิ่ม " + botName + " เป็นเพื่อนแล้ว" });
    send("/sim/follow", { user: userId });
  }

  function resizeInput() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 128) + "px";
    sendButton.disabled = !input.value.trim();
  }

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    resizeInput();
    say(text);
  });
  input.addEventListener("input", resizeInput);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.querySelectorAll(".attach").forEach(function (button) {
    button.addEventListener("click", function () { attach(button); });
  });
  menu.querySelectorAll(".menu-area").forEach(function (area) {
    area.addEventListener("click", function () { say(area.dataset.text); });
  });
  chatBar.addEventListener("click", function () {
    menu.hidden = !menu.hidden;
    chatBar.setAttribute("aria-expanded", String(!menu.hidden));
    scrollDown();
  });
  document.getElementById("new-user").addEventListener("click", function () {
    if (window.confirm("เริ่มใหม่เป็นผู้ใช้ใหม่? แชตนี้จะหายไปจากหน้าจอ (ข้อมูลในฐานข้อมูลยังอยู่)")) {
      localStorage.removeItem(LOG_PREFIX + userId);
      start(true);
    }
  });

  start(false);
  window.setInterval(poll, POLL_MS);
}());
