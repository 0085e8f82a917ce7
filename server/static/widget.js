/* 预算问答 BudgetQA portal widget. One tag on any page:
 *   <script src="https://HOST/widget.js" data-doc="DOC-ID" data-title="预算问答" async></script>
 * Adds a floating button that opens a chat panel inside a shadow root (the portal's CSS cannot
 * reach it). Talks to the API at the script's own origin. Everything from the server is shown
 * with textContent, never as HTML. Plain JS, no build step.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__budgetqaWidget) { return; }
  window.__budgetqaWidget = true;
  var API = new URL(script.src, location.href).origin;
  var DOC = script.getAttribute("data-doc") || null;
  var TITLE = script.getAttribute("data-title") || "预算问答";

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}",
    ".launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;min-width:56px;height:56px;padding:0 18px;border-radius:28px;border:0;background:#b91c1c;color:#fff;font-size:16px;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}",
    ".launcher:focus-visible,button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #2563eb;outline-offset:2px}",
    ".panel{position:fixed;right:16px;bottom:84px;z-index:2147483001;width:min(400px,calc(100vw - 16px));height:min(600px,calc(100vh - 100px));display:flex;flex-direction:column;background:#fff;color:#111;border:1px solid #d4d4d4;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden;font-size:15px;line-height:1.5}",
    ".panel[hidden]{display:none}",
    ".large .panel{font-size:19px}",
    "header{display:flex;align-items:center;gap:6px;padding:10px 12px;background:#b91c1c;color:#fff}",
    "header h2{flex:1;margin:0;font-size:1.05em}",
    "header button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.7);border-radius:6px;min-height:36px;min-width:36px;padding:2px 8px;font-size:.9em;cursor:pointer}",
    "header button[aria-pressed=true]{background:#fff;color:#b91c1c}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#fafafa}",
    ".msg{max-width:92%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word}",
    ".user{align-self:flex-end;background:#fee2e2}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e5e5e5}",
    ".bot.error{border-color:#f59e0b;background:#fffbeb}",
    ".formula{margin-top:6px;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f3f4f6;padding:4px 6px;border-radius:6px}",
    ".note{margin-top:4px;font-size:.85em;color:#555}",
    ".cites{margin:6px 0 0;padding-left:1.2em;font-size:.85em;color:#333}",
    ".cites a{color:#1d4ed8}",
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #e5e5e5;background:#fff}",
    "label.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    "input{flex:1;min-width:0;min-height:44px;padding:8px 10px;font-size:1em;border:1px solid #a3a3a3;border-radius:8px}",
    "form button{min-height:44px;padding:0 14px;border:0;border-radius:8px;background:#b91c1c;color:#fff;font-size:1em;cursor:pointer}",
    "form button:disabled{opacity:.6;cursor:wait}",
    ".hint{font-size:.85em;color:#555}",
    "@media (max-width:480px){.panel{left:8px;right:8px;width:auto;bottom:80px;height:calc(100vh - 96px)}.launcher{right:12px;bottom:12px}}"
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
  var wrap = el("div", { "class": "wrap" }); root.appendChild(wrap);

  var launcher = el("button", { "class": "launcher", "type": "button", "aria-expanded": "false",
    "aria-controls": "bqa-panel", "aria-label": "打开" + TITLE }, "问 " + TITLE);
  var panel = el("section", { "class": "panel", "id": "bqa-panel", "role": "dialog",
    "aria-modal": "false", "aria-labelledby": "bqa-title", "hidden": "" });
  var header = el("header");
  var title = el("h2", { "id": "bqa-title" }, TITLE);
  var large = el("button", { "type": "button", "aria-pressed": "false", "aria-label": "大字模式",
    "title": "大字模式" }, "大字");
  var close = el("button", { "type": "button", "aria-label": "关闭" + TITLE, "title": "关闭 (Esc)" }, "✕");
  header.appendChild(title); header.appendChild(large); header.appendChild(close);
  var log = el("div", { "class": "log", "role": "log", "aria-live": "polite", "aria-label": "问答记录" });
  var intro = el("p", { "class": "hint" }, "请输入关于本单位预算的问题，例如：公务用车购置及运行费是多少？回答附有算式和出处。");
  log.appendChild(intro);
  var form = el("form", { "aria-label": "提问" });
  var label = el("label", { "class": "sr", "for": "bqa-input" }, "你的问题");
  var input = el("input", { "id": "bqa-input", "type": "text", "maxlength": "500",
    "autocomplete": "off", "placeholder": "输入问题…", "enterkeyhint": "send" });
  var send = el("button", { "type": "submit" }, "提问");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(form);
  wrap.appendChild(launcher); wrap.appendChild(panel);

  var previous = null;

  function setOpen(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { input.focus(); } else { launcher.focus(); }
  }
  launcher.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  large.addEventListener("click", function () {
    var on = large.getAttribute("aria-pressed") !== "true";
    large.setAttribute("aria-pressed", on ? "true" : "false");
    wrap.classList.toggle("large", on);
  });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); setOpen(false); }
  });

  function citationText(c) {
    var page = c.page ? "第" + c.page + "页" : "";
    if (c.kind === "cell") {
      return "《" + c.table + "》 行“" + c.row + "” 列“" + c.column + "” " + c.value + (c.unit || "") + " " + page;
    }
    return (c.section || "正文") + " " + page + "：" + (c.text || "").slice(0, 120);
  }

  function pageLink(c) {
    if (!c.page || !c.doc) { return null; }
    var url = API + "/api/documents/" + encodeURIComponent(c.doc) + "/pages/" + c.page + ".png";
    if (c.bbox) { url += "?highlight=" + encodeURIComponent(c.bbox.join(",")); }
    return url;
  }

  function showAnswer(bubble, answer) {
    bubble.textContent = "";
    if (answer.followup) {
      bubble.appendChild(el("div", { "class": "note" }, "理解为：" + answer.followup.asked));
    }
    bubble.appendChild(el("div", { "class": "text" }, answer.answer));
    if (answer.formula) { bubble.appendChild(el("div", { "class": "formula" }, "算式：" + answer.formula)); }
    var cites = answer.citations || [];
    if (cites.length) {
      var list = el("ol", { "class": "cites", "aria-label": "出处" });
      cites.forEach(function (c) {
        var item = el("li", { "class": "cite" }, "来源：" + citationText(c) + " ");
        var link = pageLink(c);
        if (link && c.kind === "cell") {
          item.appendChild(el("a", { "href": link, "target": "_blank", "rel": "noopener" }, "查看原页"));
        }
        list.appendChild(item);
      });
      bubble.appendChild(list);
    }
  }

  function showError(bubble, body) {
    bubble.classList.add("error");
    var message = body && body.error ? body.error.message : "服务暂时不可用，请稍后再试。";
    bubble.textContent = "无法回答：" + message;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) { input.focus(); return; }
    log.appendChild(el("div", { "class": "msg user" }, question));
    var bubble = el("div", { "class": "msg bot", "aria-busy": "true" }, "正在查找…");
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
    input.value = "";
    send.disabled = true;
    fetch(API + "/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, doc: DOC, previous: previous })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        showAnswer(bubble, result.body);
        previous = result.body.followup ? result.body.followup.asked : question;
      } else {
        showError(bubble, result.body);
      }
    }).catch(function () {
      showError(bubble, null);
    }).then(function () {
      bubble.removeAttribute("aria-busy");
      send.disabled = false;
      log.scrollTop = log.scrollHeight;
      input.focus();
    });
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
