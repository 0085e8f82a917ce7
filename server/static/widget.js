/* 预算问答 BudgetQA portal widget. One tag on any page:
 *   <script src="https://HOST/widget.js" data-doc="DOC-ID" data-title="预算问答"
 *           data-position="right" data-color="#b91c1c" async></script>
 * Adds a launcher button that opens a chat panel inside a shadow root (the portal's CSS cannot
 * reach it). Talks to the API at the script's own origin; answers arrive streamed (NDJSON).
 * Everything from the server is shown with textContent, never as HTML. Plain JS, no build step.
 *
 * At load it asks the API (/widget/check) whether this page's origin is allowed and whether
 * data-doc names a document, and explains a problem to the portal's administrator in Chinese
 * (console and a note in the panel); citizens never see document ids or server messages.
 * The conversation is kept per tab (sessionStorage).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__budgetqaWidget) { return; }
  window.__budgetqaWidget = true;
  var API = new URL(script.src, location.href).origin;
  var DOC = script.getAttribute("data-doc") || null;
  var TITLE = script.getAttribute("data-title") || "预算问答";
  var SIDE = script.getAttribute("data-position") === "left" ? "left" : "right";
  var COLOR = validColor(script.getAttribute("data-color")) || "#b91c1c";
  var INK = readableInk(COLOR);
  var STORE_KEY = "budgetqa:" + API + ":" + (DOC || "");
  var TOP = 5;
  var LOG_PREFIX = "[预算问答] ";

  // Messages for the API's error codes: the server's own messages are English and may name ids.
  var ERRORS = {
    bad_request: "问题不能为空，也不能过长，请换一种问法。",
    not_found: "本页的问答配置有误，暂时无法回答。",
    forbidden: "问答服务暂未对本网站开放。",
    too_large: "问题太长了，请精简后再问。",
    invalid_request: "问题格式不正确，请重新输入。",
    unit_mismatch: "问题涉及的数字单位不同，无法直接计算，请分别提问。",
    store_unavailable: "数据服务暂时不可用，请稍后重试。",
    index_unavailable: "检索服务暂时不可用，请稍后重试。"
  };
  var UNAVAILABLE = "服务暂时不可用，请稍后重试。";

  function validColor(value) {
    if (!value) { return null; }
    if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value)) { return value; }
    console.warn(LOG_PREFIX + "data-color=“" + value + "” 不是 #RGB 或 #RRGGBB 形式的颜色，已使用默认颜色。");
    return null;
  }

  function luminance(hex) {
    var h = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, "#$1$1$2$2$3$3") : hex;
    var rgb = [1, 3, 5].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }

  // White text on the brand colour when that reaches 4.5:1, else near-black.
  function readableInk(hex) {
    return (1.05) / (luminance(hex) + 0.05) >= 4.5 ? "#ffffff" : "#111111";
  }

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}",
    ".launcher{position:fixed;" + SIDE + ":16px;bottom:16px;z-index:2147483000;min-width:56px;max-width:calc(100vw - 32px);height:56px;padding:0 18px;border-radius:28px;border:0;background:" + COLOR + ";color:" + INK + ";font-size:16px;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    "button:focus-visible,input:focus-visible,a:focus-visible,img:focus-visible{outline:3px solid #2563eb;outline-offset:2px}",
    ".panel{position:fixed;" + SIDE + ":16px;bottom:84px;z-index:2147483001;width:min(420px,calc(100vw - 16px));height:min(640px,calc(100vh - 100px));display:flex;flex-direction:column;background:#fff;color:#111;border:1px solid #d4d4d4;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden;font-size:15px;line-height:1.5}",
    ".panel[hidden]{display:none}",
    ".large .panel{font-size:19px}",
    "header{display:flex;align-items:center;gap:6px;padding:10px 12px;background:" + COLOR + ";color:" + INK + "}",
    "header h2{flex:1;margin:0;font-size:1.05em}",
    "header button{background:transparent;color:" + INK + ";border:1px solid currentColor;border-radius:6px;min-height:36px;min-width:36px;padding:2px 8px;font-size:.9em;cursor:pointer}",
    "header button[aria-pressed=true]{background:" + INK + ";color:" + COLOR + "}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#fafafa}",
    ".msg{max-width:94%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word}",
    ".user{align-self:flex-end;background:#fee2e2;color:#111}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e5e5e5}",
    ".bot.error{border-color:#b45309;background:#fffbeb}",
    ".formula{margin-top:6px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f3f4f6;padding:4px 6px;border-radius:6px}",
    ".note{margin-top:4px;font-size:.85em;color:#374151}",
    ".admin{border:2px dashed #b45309;background:#fff7ed;color:#7c2d12;padding:8px 10px;border-radius:8px;font-size:.9em;white-space:pre-wrap}",
    ".cites{margin:6px 0 0;padding-left:1.2em;font-size:.85em;color:#1f2937}",
    ".cites a{color:#1d4ed8}",
    ".crop{display:block;margin:4px 0 6px;max-width:100%;height:auto;max-height:160px;border:1px solid #d4d4d4;border-radius:4px;cursor:zoom-in;background:#fff}",
    ".actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}",
    ".actions button,.chips button,.more{min-height:36px;padding:4px 10px;border:1px solid #9ca3af;border-radius:18px;background:#fff;color:#111;font-size:.9em;cursor:pointer}",
    ".actions button[aria-pressed=true]{background:#1f2937;color:#fff}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".chips button{text-align:left;border-color:" + COLOR + "}",
    "table.rank{border-collapse:collapse;margin-top:6px;font-size:.85em;width:100%}",
    "table.rank td{border-top:1px solid #e5e7eb;padding:2px 4px;vertical-align:top}",
    "table.rank td.v{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}",
    // A 类/款 path breaks between its parts (at the spaces around ›), not inside a label.
    "table.rank .note{word-break:keep-all;overflow-wrap:anywhere}",
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #e5e5e5;background:#fff}",
    "label.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    "input{flex:1;min-width:0;min-height:44px;padding:8px 10px;font-size:1em;border:1px solid #6b7280;border-radius:8px;color:#111;background:#fff}",
    "form button{min-height:44px;padding:0 14px;border:0;border-radius:8px;background:" + COLOR + ";color:" + INK + ";font-size:1em;cursor:pointer}",
    "form button:disabled,input:disabled{opacity:.6;cursor:not-allowed}",
    ".hint{font-size:.9em;color:#374151;margin:0}",
    ".zoom{position:absolute;inset:0;background:#111;display:flex;flex-direction:column;z-index:5}",
    ".zoom[hidden]{display:none}",
    ".zoom .bar{display:flex;justify-content:space-between;align-items:center;color:#fff;padding:8px 10px;gap:8px}",
    ".zoom .bar button{flex-shrink:0;white-space:nowrap;min-height:36px;padding:2px 12px;border:1px solid #fff;border-radius:6px;background:transparent;color:#fff;cursor:pointer}",
    ".zoom .pic{flex:1;overflow:auto;padding:8px}",
    ".zoom img{display:block;width:auto;max-width:none;background:#fff}",
    "@media (max-width:480px){.panel{left:8px;right:8px;width:auto;bottom:80px;height:calc(100vh - 96px)}.launcher{" + SIDE + ":12px;bottom:12px}}"
  ].join("\n");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // A custom element with inline `all:initial`: portal rules for div or * cannot style the host.
  var host = el("budgetqa-widget", { "data-budgetqa-widget": "", "style": "all:initial !important" });
  var root = host.attachShadow({ mode: "open" });
  var style = el("style"); style.textContent = CSS; root.appendChild(style);
  // Chinese for screen readers, whatever language the portal page declares.
  var wrap = el("div", { "class": "wrap", "lang": "zh-CN" }); root.appendChild(wrap);

  var launcher = el("button", { "class": "launcher", "type": "button", "aria-expanded": "false",
    "aria-controls": "bqa-panel", "aria-label": "打开" + TITLE }, "问 " + TITLE);
  var panel = el("section", { "class": "panel", "id": "bqa-panel", "role": "dialog",
    "aria-modal": "false", "aria-labelledby": "bqa-title", "hidden": "" });
  var header = el("header");
  var title = el("h2", { "id": "bqa-title" }, TITLE);
  var large = el("button", { "type": "button", "aria-pressed": "false", "aria-label": "大字模式",
    "title": "大字模式" }, "大字");
  var clear = el("button", { "type": "button", "aria-label": "清空对话", "title": "清空对话" }, "清空");
  var close = el("button", { "type": "button", "aria-label": "关闭" + TITLE, "title": "关闭 (Esc)" }, "✕");
  header.appendChild(title); header.appendChild(large); header.appendChild(clear); header.appendChild(close);
  var log = el("div", { "class": "log", "role": "log", "aria-live": "polite", "aria-label": "问答记录" });
  var intro = el("div", { "class": "intro" });
  intro.appendChild(el("p", { "class": "hint" }, "请输入关于本单位预算的问题。回答附有算式、出处和原页截图。"));
  var starters = el("div", { "class": "chips", "aria-label": "可以这样问" });
  intro.appendChild(starters);
  log.appendChild(intro);
  var form = el("form", { "aria-label": "提问" });
  var label = el("label", { "class": "sr", "for": "bqa-input" }, "你的问题");
  var input = el("input", { "id": "bqa-input", "type": "text", "maxlength": "500",
    "autocomplete": "off", "placeholder": "输入问题…", "enterkeyhint": "send" });
  var send = el("button", { "type": "submit" }, "提问");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  var zoom = el("div", { "class": "zoom", "hidden": "", "role": "dialog", "aria-label": "原页截图（放大）" });
  var zoomBar = el("div", { "class": "bar" });
  var zoomCaption = el("span");
  var zoomClose = el("button", { "type": "button" }, "关闭");
  zoomBar.appendChild(zoomCaption); zoomBar.appendChild(zoomClose);
  var zoomPic = el("div", { "class": "pic" });
  var zoomImg = el("img", { "alt": "" });
  zoomPic.appendChild(zoomImg); zoom.appendChild(zoomBar); zoom.appendChild(zoomPic);
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(form); panel.appendChild(zoom);
  wrap.appendChild(launcher); wrap.appendChild(panel);

  var state = { previous: null, turns: [], suggestions: [], usable: true };

  // -- open, close, large text -----------------------------------------------------------

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcher.setAttribute("aria-label", (open ? "收起" : "打开") + TITLE);
    launcher.textContent = open ? "收起 " + TITLE : "问 " + TITLE;
    if (open) { input.focus(); } else { launcher.focus(); }
  }
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  large.addEventListener("click", function () {
    var on = large.getAttribute("aria-pressed") !== "true";
    large.setAttribute("aria-pressed", on ? "true" : "false");
    wrap.classList.toggle("large", on);
  });
  clear.addEventListener("click", function () {
    state.turns = []; state.previous = null; save();
    Array.prototype.slice.call(log.querySelectorAll(".msg")).forEach(function (n) { n.remove(); });
    input.focus();
  });
  root.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    if (!zoom.hidden) { event.preventDefault(); hideZoom(); return; }
    if (!panel.hidden) { event.preventDefault(); setOpen(false); }
  });

  function showZoom(src, caption) {
    zoomImg.src = src; zoomImg.alt = caption; zoomCaption.textContent = caption;
    zoom.hidden = false; zoomClose.focus();
  }
  // A crop ends with the cited cell (row label first, then the cell under its headers): the
  // enlarged picture opens scrolled to it; the row label is a swipe to the left.
  zoomImg.addEventListener("load", function () {
    zoomPic.scrollLeft = zoomPic.scrollWidth; zoomPic.scrollTop = zoomPic.scrollHeight;
  });
  function hideZoom() { zoom.hidden = true; zoomImg.removeAttribute("src"); input.focus(); }
  zoomClose.addEventListener("click", hideZoom);

  // -- history per tab ----------------------------------------------------------------------

  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ previous: state.previous, turns: state.turns.slice(-30) }));
    } catch (e) { /* private mode or full: the chat still works, only unsaved */ }
  }
  function restore() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (!saved || !saved.turns) { return; }
      state.previous = saved.previous || null;
      saved.turns.forEach(function (turn) {
        state.turns.push(turn);
        log.appendChild(el("div", { "class": "msg user" }, turn.question));
        var bubble = el("div", { "class": "msg bot" });
        log.appendChild(bubble);
        if (turn.answer) { showAnswer(bubble, turn); } else { showError(bubble, turn); }
      });
    } catch (e) { /* an unreadable saved chat is dropped */ }
  }

  // -- answers --------------------------------------------------------------------------------

  function citationText(c) {
    var page = c.page ? " 第" + c.page + "页" : "";
    if (c.kind === "cell") {
      return "《" + c.table + "》 行“" + c.row + "” 列“" + c.column + "” " + c.value + (c.unit || "") + page;
    }
    return (c.section || "正文") + page + "：" + (c.text || "").slice(0, 120);
  }

  function pageLink(c) {
    if (!c.page || !c.doc) { return null; }
    var url = API + "/api/documents/" + encodeURIComponent(c.doc) + "/pages/" + c.page + ".png";
    if (c.bbox) { url += "?highlight=" + encodeURIComponent(c.bbox.join(",")); }
    return url;
  }

  function cropUrl(c) {
    if (c.kind !== "cell" || !c.page || !c.doc || !c.bbox) { return null; }
    return API + "/api/documents/" + encodeURIComponent(c.doc) + "/crops/" + c.page +
      ".png?box=" + encodeURIComponent(c.bbox.join(","));
  }

  function isRanking(answer) { return /^(最大|最小)：/.test(answer.formula || ""); }

  function plainText(answer) {
    var text = answer.answer || "";
    if (answer.route === "none" || answer.route === "clarify") {
      // The list of tables gives way to questions to click; "文件中没有" is said once.
      return text.replace(/本文件包括：[^。]*(。|$)/, "").trim()
        .replace(/^文件中没有这个问题的答案：(?=文件中?没有)/, "");
    }
    return isRanking(answer) ? text.replace(/比较的项目：[^。]*。?$/, "") : text;
  }

  function addCitation(list, c) {
    var item = el("li", { "class": "cite" }, "来源：" + citationText(c) + " ");
    var crop = cropUrl(c);
    var caption = "《" + c.table + "》第" + c.page + "页：" + c.row + " / " + c.column;
    if (crop) {
      var img = el("img", { "class": "crop", "src": crop, "alt": caption + " 的原页截图（点按放大）",
        "tabindex": "0", "loading": "lazy" });
      img.addEventListener("error", function () { img.remove(); });
      img.addEventListener("click", function () { showZoom(crop, caption); });
      img.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showZoom(crop, caption); }
      });
      item.appendChild(img);
    }
    var link = pageLink(c);
    if (link && c.kind === "cell") {
      item.appendChild(el("a", { "href": link, "target": "_blank", "rel": "noopener" }, "查看整页"));
    }
    list.appendChild(item);
  }

  function rankingTable(bubble, answer, before) {
    // The compared figures as a small table, best first, each with its 类/款 parents (from the
    // API); the first TOP shown, the rest on request.
    var table = el("table", { "class": "rank", "aria-label": "比较的项目" });
    var holder = el("div"); holder.appendChild(table);
    bubble.insertBefore(holder, before);
    fetch(API + "/api/ranking", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(answer) }).then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) {
        items.forEach(function (item, i) {
          var tr = el("tr");
          if (i >= TOP) { tr.hidden = true; tr.className = "rest"; }
          tr.appendChild(el("td", {}, item.place));
          var name = el("td", {}, item.label);
          if (item.parents.length) { name.appendChild(el("div", { "class": "note" }, item.parents.join(" › "))); }
          tr.appendChild(name);
          tr.appendChild(el("td", { "class": "v" }, item.value + (item.unit || "")));
          table.appendChild(tr);
        });
        if (items.length > TOP) {
          var label = "查看全部（共 " + items.length + " 项）";
          var more = el("button", { "type": "button", "class": "more", "aria-expanded": "false" }, label);
          more.addEventListener("click", function () {
            var open = more.getAttribute("aria-expanded") !== "true";
            Array.prototype.forEach.call(table.querySelectorAll("tr.rest"), function (tr) { tr.hidden = !open; });
            more.setAttribute("aria-expanded", open ? "true" : "false");
            more.textContent = open ? "收起" : label;
          });
          holder.appendChild(more);
        }
      }).catch(function () {});
  }

  function chips(container, questions) {
    questions.forEach(function (q) {
      var b = el("button", { "type": "button" }, q);
      b.addEventListener("click", function () { ask(q); });
      container.appendChild(b);
    });
  }

  function showAnswer(bubble, turn) {
    var answer = turn.answer;
    bubble.textContent = "";
    bubble.classList.remove("error");
    if (answer.followup) {
      bubble.appendChild(el("div", { "class": "note" }, "理解为：" + answer.followup.asked));
    }
    bubble.appendChild(el("div", { "class": "text" }, plainText(answer)));
    var cites = answer.citations || [];
    var ranking = isRanking(answer);
    if (ranking) {
      cites = cites.slice(0, 1);  // the best item's source; the table lists the others
    } else if (answer.formula) {
      bubble.appendChild(el("div", { "class": "formula" }, "算式：" + answer.formula));
    }
    var options = answer.route === "clarify" && answer.options ? answer.options : [];
    if (options.length) {
      bubble.appendChild(el("div", { "class": "note" }, "您指的是："));
      var box = el("div", { "class": "chips" });
      options.forEach(function (o) {
        var shown = o.value ? o.wording + "（" + o.value + (o.unit || "") + "）" : o.wording;
        var b = el("button", { "type": "button" }, shown);
        // An option with its own question is asked; otherwise its figure is shown as given.
        b.addEventListener("click", function () { if (o.question) { ask(o.question); } else { choose(o); } });
        box.appendChild(b);
      });
      bubble.appendChild(box);
    }
    var offered = (answer.suggestions && answer.suggestions.length ? answer.suggestions : state.suggestions)
      .filter(function (q) { return q !== turn.question; }).slice(0, 3);
    if ((answer.route === "none" || answer.route === "clarify") && offered.length) {
      bubble.appendChild(el("div", { "class": "note" }, "可以这样问："));
      var offer = el("div", { "class": "chips" });
      chips(offer, offered);
      bubble.appendChild(offer);
    }
    if (cites.length) {
      var list = el("ol", { "class": "cites", "aria-label": "出处" });
      cites.forEach(function (c) { addCitation(list, c); });
      bubble.appendChild(list);
    }
    var bar = actions(turn);
    bubble.appendChild(bar);
    if (ranking) { rankingTable(bubble, answer, bubble.querySelector(".cites") || bar); }
  }

  function actions(turn) {
    var bar = el("div", { "class": "actions" });
    var copy = el("button", { "type": "button", "aria-label": "复制回答" }, "复制");
    copy.addEventListener("click", function () {
      copyText(answerAsText(turn.answer)).then(function () { copy.textContent = "已复制"; },
        function () { copy.textContent = "复制失败"; });
    });
    bar.appendChild(copy);
    [["up", "👍", "回答正确"], ["down", "👎", "回答有误"]].forEach(function (r) {
      var b = el("button", { "type": "button", "aria-label": r[2], "aria-pressed": turn.rating === r[0] ? "true" : "false" }, r[1]);
      b.addEventListener("click", function () { rate(turn, r[0], bar); });
      bar.appendChild(b);
    });
    return bar;
  }

  function answerAsText(answer) {
    var lines = [plainText(answer)];
    if (answer.formula && !isRanking(answer)) { lines.push("算式：" + answer.formula); }
    (answer.citations || []).slice(0, 10).forEach(function (c) { lines.push("来源：" + citationText(c)); });
    return lines.join("\n");
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {
      var area = el("textarea"); area.value = text; area.style.position = "fixed"; area.style.opacity = "0";
      root.appendChild(area); area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) { resolve(); } else { reject(); }
    });
  }

  function rate(turn, rating, bar) {
    turn.rating = rating; save();
    Array.prototype.forEach.call(bar.querySelectorAll("button[aria-pressed]"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("aria-label") === (rating === "up" ? "回答正确" : "回答有误") ? "true" : "false");
    });
    fetch(API + "/api/feedback", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: turn.question, answer: turn.answer, rating: rating, doc: DOC, source: "widget" })
    }).then(function (r) {
      var note = bar.querySelector(".thanks") || el("span", { "class": "note thanks" });
      note.textContent = r.ok ? "谢谢，已记录您的反馈。" : "反馈未能保存，请稍后再试。";
      bar.appendChild(note);
    }).catch(function () {});
  }

  function showError(bubble, turn) {
    bubble.classList.add("error");
    bubble.textContent = "无法回答：" + (turn.error || UNAVAILABLE);
    var again = el("button", { "type": "button", "class": "more" }, "重试");
    again.addEventListener("click", function () { retry(bubble, turn); });
    var bar = el("div", { "class": "actions" }); bar.appendChild(again);
    bubble.appendChild(bar);
  }

  function choose(option) {
    var answer = { question: option.wording, doc: DOC, route: "lookup",
      answer: option.wording + "：" + (option.value ? option.value + (option.unit || "") : "文件中没有数字") + "。",
      value: option.value, unit: option.unit, formula: null, citations: option.citations || [] };
    var turn = { question: option.wording, answer: answer };
    state.turns.push(turn); save();
    log.appendChild(el("div", { "class": "msg user" }, option.wording));
    var bubble = el("div", { "class": "msg bot" }); log.appendChild(bubble);
    showAnswer(bubble, turn);
    log.scrollTop = log.scrollHeight;
  }

  // -- asking (streamed) ------------------------------------------------------------------------

  function errorMessage(body) {
    var code = body && body.error ? body.error.code : null;
    return ERRORS[code] || UNAVAILABLE;
  }

  function readEvents(response, onEvent) {
    // NDJSON: one event a line (status …, then answer or error).
    if (!response.body || !response.body.getReader) {
      return response.text().then(function (text) { text.split("\n").forEach(line); });
    }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function line(text) { if (text.trim()) { onEvent(JSON.parse(text)); } }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) { line(buffer); return; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split("\n");
        buffer = lines.pop();
        lines.forEach(line);
        return pump();
      });
    }
    return pump();
  }

  function run(bubble, turn) {
    bubble.setAttribute("aria-busy", "true");
    bubble.classList.remove("error");
    bubble.textContent = "正在查找…";
    send.disabled = true;
    var finished = false;
    return fetch(API + "/api/ask/stream", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: turn.question, doc: DOC, previous: turn.previous })
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) { turn.error = errorMessage(body); },
          function () { turn.error = UNAVAILABLE; });
      }
      return readEvents(response, function (event) {
        if (event.event === "status") {
          bubble.textContent = event.message || "正在查找…";
        } else if (event.event === "answer") {
          finished = true; turn.answer = event.answer; turn.error = null;
        } else if (event.event === "error") {
          finished = true; turn.error = errorMessage(event);
        }
      }).then(function () { if (!finished && !turn.answer) { turn.error = UNAVAILABLE; } });
    }).catch(function () {
      turn.error = UNAVAILABLE;
    }).then(function () {
      if (turn.answer) {
        showAnswer(bubble, turn);
        state.previous = turn.answer.followup ? turn.answer.followup.asked : turn.question;
      } else {
        showError(bubble, turn);
      }
      save();
      bubble.removeAttribute("aria-busy");
      send.disabled = !state.usable;
      log.scrollTop = log.scrollHeight;
    });
  }

  function retry(bubble, turn) { turn.error = null; turn.answer = null; run(bubble, turn); }

  function ask(question) {
    if (!state.usable) { return; }
    var turn = { question: question, previous: state.previous, answer: null, error: null };
    state.turns.push(turn);
    log.appendChild(el("div", { "class": "msg user" }, question));
    var bubble = el("div", { "class": "msg bot" });
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
    input.value = "";
    run(bubble, turn).then(function () { input.focus(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) { input.focus(); return; }
    ask(question);
  });

  // -- at load: is this portal allowed, does data-doc name a document ---------------------------

  function adminNote(console_text, note_text, citizen_text) {
    console.error(LOG_PREFIX + console_text);
    log.insertBefore(el("div", { "class": "admin", "role": "note" }, "给网站管理员的提示：" + note_text), intro);
    intro.querySelector(".hint").textContent = citizen_text;
    state.usable = false;
    input.disabled = true; send.disabled = true;
  }

  function check() {
    var url = API + "/widget/check" + (DOC ? "?doc=" + encodeURIComponent(DOC) : "");
    fetch(url).then(function (r) { return r.json(); }).then(function (info) {
      if (!info.origin_allowed) {
        adminNote("本网站的来源 " + location.origin + " 不在问答服务的允许列表（BUDGETQA_ALLOWED_ORIGINS）中，浏览器会拒绝问答请求。请问答服务的管理员把 " + location.origin + " 加入该设置后重启服务。",
          "本网站（" + location.origin + "）尚未获准使用问答服务，问答已停用。请联系问答服务的管理员，把这个地址加入允许列表 BUDGETQA_ALLOWED_ORIGINS。",
          "问答服务暂未对本网站开放。");
        return;
      }
      if (!DOC) {
        console.warn(LOG_PREFIX + "嵌入代码没有 data-doc 属性：问题需要写明单位和年度才能回答。");
        return;
      }
      if (info.doc_known === false) {
        adminNote("data-doc=“" + DOC + "” 不是问答服务中已导入的文件编号。请检查嵌入代码的 data-doc 属性：文件编号是导入文件的文件名（不含扩展名），区分大小写。",
          "嵌入代码中的 data-doc（“" + DOC + "”）没有对应任何已导入的文件，问答已停用。请检查拼写，或先在问答服务中导入该文件。",
          "本页的问答暂时无法使用。");
        return;
      }
      return fetch(API + "/api/documents/" + encodeURIComponent(DOC)).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (doc) {
        if (!doc) { return; }
        state.suggestions = doc.suggestions || [];
        chips(starters, state.suggestions.slice(0, 4));
      });
    }).catch(function () {
      console.warn(LOG_PREFIX + "无法连接问答服务 " + API + "，稍后提问时会再试。");
    });
  }

  function mount() {
    document.body.appendChild(host);
    restore();
    check();
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
