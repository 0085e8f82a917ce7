/* Streamlit's own texts in Chinese on the chat page (app.py adds this script once).
 * Streamlit has no translations: its buttons, screen-reader labels, uploader messages and chart
 * descriptions are English. This script puts the page in Chinese (lang="zh-CN", so screen
 * readers speak with a Chinese voice) and rewrites, as Streamlit draws them, the texts and the
 * aria-label / title / placeholder / aria-roledescription attributes the page's widgets show,
 * from the table below. tests/test_browser.py reads the page's DOM and fails if one is left.
 */
(function () {
  "use strict";
  if (window.__budgetqaZh) { return; }
  window.__budgetqaZh = true;

  var EXACT = {
    "Skip to main content": "跳到主要内容",
    "Sidebar": "侧栏",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "Main menu": "主菜单",
    "Open": "展开",
    "Close": "关闭",
    "Dismiss": "关闭",
    "Clear value": "清除",
    "Clear all": "全部清除",
    "Choose an option": "请选择",
    "No results": "没有匹配的选项",
    "Selectbox": "下拉选择",
    "Selectbox options": "选项",
    "Show password": "显示口令",
    "Hide password": "隐藏口令",
    "Press Enter to apply": "按回车键确认",
    "Press Enter to submit form": "按回车键提交",
    "Press ⌘+Enter to apply": "按 ⌘+回车键确认",
    "Press Ctrl+Enter to apply": "按 Ctrl+回车键确认",
    "Send message": "发送问题",
    "Chat message from user": "我的提问",
    "Chat message from assistant": "预算问答的回答",
    "Link to heading": "本节链接",
    "Feedback rating": "评价这个回答",
    "Thumbs up": "回答有用",
    "Thumbs down": "回答有误",
    "Copy to clipboard": "复制",
    "Copied": "已复制",
    "Fullscreen": "全屏查看",
    "Close fullscreen": "退出全屏",
    "Exit fullscreen": "退出全屏",
    "Download as CSV": "下载为 CSV 表格",
    "Download as PNG": "下载为 PNG 图片",
    "Download as SVG": "下载为 SVG 图片",
    "Search": "搜索",
    "Close Search": "关闭搜索",
    "Show/hide columns": "显示或隐藏列",
    "Show data": "查看数据",
    "Copy Vega-Lite spec": "复制图表定义",
    "Vega visualization": "图表",
    "visualization": "图表",
    "axis": "坐标轴",
    "bar": "条形",
    "legend": "图例",
    "group mark container": "图形组",
    "rect mark container": "条形组",
    "Previous Result": "上一个结果",
    "Next Result": "下一个结果",
    "Dataframe column menu": "列菜单",
    "Copy column name": "复制列名",
    "Markdown content": "文字内容",
    "Notifications": "通知",
    "Running...": "正在运行…",
    "Stop script": "停止",
    "Upload": "选择文件",
    "upload": "选择文件",
    "file upload": "选择文件",
    "Add files": "添加文件",
    "add icon": "添加",
    "Error:": "错误：",
    "Button action menu": "按钮菜单",
    "progress": "进度",
    "Loading...": "正在加载…",
    "Please wait...": "请稍候…"
  };

  // (pattern, replacement) for texts that carry names, sizes or numbers.
  var PATTERNS = [
    [/^Error: (.*)$/, function (m) { return "错误：" + (translated(m[1]) || m[1]); }],
    [/^File must be ([\d.]+)MB or smaller\.$/,
      function (m) { return "文件超过 " + Number(m[1]) + " MB 的上限，请压缩或拆分后再上传。"; }],
    [/^(.+) files are not allowed\.$/,
      function () { return "不支持这种文件类型，请上传 PDF、Markdown（.md）或纯文本（.txt）文件。"; }],
    [/^([\d.]+\s?[KMG]B) per file(?: • (.*))?$/, function (m) {
      return "单个文件不超过 " + m[1] + (m[2] ? "，" + m[2].replace(/, /g, "、") : ""); }],
    [/^• ([A-Z]+(?:, [A-Z]+)*)$/, function (m) { return "• " + m[1].replace(/, /g, "、"); }],
    [/^Remove (.+)$/, function (m) { return "移除 " + m[1]; }],
    [/^Fullscreen: (.+)$/, function (m) { return "全屏查看：" + m[1]; }],
    [/^(\d+) options? available\.$/, function (m) { return "共 " + m[1] + " 个选项。"; }],
    [/^option (.+), selected\.$/, function (m) { return "已选择 " + m[1] + "。"; }],
    [/^option (.+), focused, (\d+) of (\d+)\..*$/,
      function (m) { return m[1] + "，第 " + m[2] + " 项，共 " + m[3] + " 项。"; }],
    [/^([XY])-axis for a \w+ scale with (\d+) values?: (.*?)(?:, ending with (.*))?$/, function (m) {
      return (m[1] === "X" ? "横轴" : "纵轴") + "，" + m[2] + " 个值：" + m[3].replace(/, /g, "、") +
        (m[4] ? " … " + m[4] : ""); }],
    [/^([XY])-axis for a \w+ scale with values from (.+) to (.+)$/, function (m) {
      return (m[1] === "X" ? "横轴" : "纵轴") + "，从 " + m[2] + " 到 " + m[3]; }],
    [/^([XY])-axis titled '(.+)' for a \w+ scale with (\d+) values?: (.*?)(?:, ending with (.*))?$/,
      function (m) { return (m[1] === "X" ? "横轴" : "纵轴") + "“" + m[2] + "”，" + m[3] + " 个值：" +
        m[4].replace(/, /g, "、") + (m[5] ? " … " + m[5] : ""); }],
    [/^([XY])-axis titled '(.+)' for a \w+ scale with values from (.+) to (.+)$/, function (m) {
      return (m[1] === "X" ? "横轴" : "纵轴") + "“" + m[2] + "”，从 " + m[3] + " 到 " + m[4]; }]
  ];

  function translated(text) {
    var key = text.trim();
    if (Object.prototype.hasOwnProperty.call(EXACT, key)) { return EXACT[key]; }
    for (var i = 0; i < PATTERNS.length; i++) {
      var m = key.match(PATTERNS[i][0]);
      if (m) { return PATTERNS[i][1](m); }
    }
    return null;
  }

  var ATTRIBUTES = ["aria-label", "title", "placeholder", "aria-roledescription", "aria-valuetext"];
  var SKIP = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, TEXTAREA: 1, INPUT: 1 };

  function fixElement(node) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = node.getAttribute(ATTRIBUTES[i]);
      if (value) {
        var zh = translated(value);
        if (zh !== null && zh !== value) { node.setAttribute(ATTRIBUTES[i], zh); }
      }
    }
  }

  function fixText(node) {
    var parent = node.parentNode;
    if (!parent || SKIP[parent.nodeName]) { return; }
    // Icon ligatures (e.g. "smart_toy") are drawn as pictures and hidden from screen readers.
    if (parent.closest && parent.closest("[data-testid=stIconMaterial]")) { return; }
    var zh = translated(node.nodeValue);
    if (zh !== null && zh !== node.nodeValue.trim()) { node.nodeValue = zh; }
  }

  function fixTree(root) {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1 && root.nodeType !== 9) { return; }
    if (root.nodeType === 1) { fixElement(root); }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.nodeType === 3) { fixText(node); } else { fixElement(node); }
    }
  }

  function chinesePage() {
    var html = document.documentElement;
    if (html.getAttribute("lang") !== "zh-CN") { html.setAttribute("lang", "zh-CN"); }
  }

  chinesePage();
  fixTree(document.body);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "childList") {
        record.addedNodes.forEach(fixTree);
      } else if (record.type === "characterData") {
        fixText(record.target);
      } else if (record.target === document.documentElement) {
        chinesePage();
      } else {
        fixElement(record.target);
      }
    });
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTES.concat(["lang"]) });
})();
