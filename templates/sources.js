// {% raw %} The sources page: highlight exactly the span a link of the brief points at.
// A link's fragment is src-ARTICLE-START-END, START and END character offsets into the
// article's text; the text element holds that text verbatim, so its text nodes count them.
// Without this script the span (or its start) is still the :target, scrolled to and styled.
(function () {
  "use strict";
  function clear() {
    var marks = document.querySelectorAll("mark.span");
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i], parent = m.parentNode;
      while (m.firstChild) parent.insertBefore(m.firstChild, m);
      parent.removeChild(m);
      parent.normalize();
    }
  }

  function highlight() {
    clear();
    var hash = decodeURIComponent(location.hash.slice(1));
    var match = /^(.+)-(\d+)-(\d+)$/.exec(hash);
    if (!match) return;
    var body = document.getElementById(match[1] + "-text");
    if (!body) return;
    var start = +match[2], end = +match[3], pos = 0, pieces = [];
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, null), node;
    while ((node = walker.nextNode())) {
      var len = node.nodeValue.length, from = Math.max(start - pos, 0), to = Math.min(end - pos, len);
      if (from < to) pieces.push([node, from, to]);
      pos += len;
      if (pos >= end) break;
    }
    var first = null;
    pieces.forEach(function (p) {
      var range = document.createRange();
      range.setStart(p[0], p[1]);
      range.setEnd(p[0], p[2]);
      var m = document.createElement("mark");
      m.className = "span";
      range.surroundContents(m);
      first = first || m;
    });
    if (first) first.scrollIntoView({ block: "center" });
  }

  window.addEventListener("hashchange", highlight);
  highlight();
  document.documentElement.setAttribute("data-ready", "1");
  if (window.performance && performance.mark) performance.mark("briefgen:ready");
})();
// {% endraw %}
