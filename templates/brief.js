// {% raw %} The web page's filters and search; the brief reads in full without them.
// Every item of the brief carries data-articles (the anchors of the articles it comes from);
// each filter option carries the anchors it selects. An item shows when it shares an article
// with every chosen filter and its text contains the search words.
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("main [data-articles]"));
  var words = items.map(function (el) { return (el.getAttribute("data-articles") || "").split(/\s+/).filter(Boolean); });
  var search = form.querySelector("input[type=search]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var status = form.querySelector("[role=status]");
  var timer = null;

  function unmark() {
    var marks = document.querySelectorAll("main mark.found");
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i], parent = m.parentNode;
      parent.replaceChild(document.createTextNode(m.textContent), m);
      parent.normalize();
    }
  }

  function mark(root, query) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null);
    var nodes = [], node;
    while ((node = walker.nextNode())) nodes.push(node);
    nodes.forEach(function (n) {
      var text = n.nodeValue, lower = text.toLowerCase(), at = lower.indexOf(query);
      if (at < 0) return;
      var frag = document.createDocumentFragment(), from = 0;
      while (at >= 0) {
        frag.appendChild(document.createTextNode(text.slice(from, at)));
        var m = document.createElement("mark");
        m.className = "found";
        m.textContent = text.slice(at, at + query.length);
        frag.appendChild(m);
        from = at + query.length;
        at = lower.indexOf(query, from);
      }
      frag.appendChild(document.createTextNode(text.slice(from)));
      n.parentNode.replaceChild(frag, n);
    });
  }

  function apply() {
    var chosen = selects.filter(function (s) { return s.value; }).map(function (s) {
      var opt = s.options[s.selectedIndex];
      var set = {};
      (opt.getAttribute("data-articles") || "").split(/\s+/).forEach(function (id) { if (id) set[id] = true; });
      return set;
    });
    var query = search.value.trim().toLowerCase();
    unmark();
    var shown = 0;
    items.forEach(function (el, i) {
      var ok = chosen.every(function (set) { return words[i].some(function (id) { return set[id]; }); });
      if (ok && query) ok = el.textContent.toLowerCase().indexOf(query) >= 0;
      el.hidden = !ok;
      if (ok) {
        shown++;
        if (query) mark(el, query);
      }
    });
    // a risk group's heading goes with its last shown risk
    var lists = document.querySelectorAll("main ol.risks");
    for (var j = 0; j < lists.length; j++) {
      var head = lists[j].previousElementSibling;
      if (head && head.tagName === "H3") head.hidden = !lists[j].querySelector("li:not([hidden])");
    }
    var filtered = chosen.length || query;
    status.textContent = filtered ? shown + " of " + items.length + " items shown" : "";
    document.documentElement.classList.toggle("filtered", !!filtered);
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  search.addEventListener("input", later);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { search.value = ""; apply(); }
  });
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.hidden = false;
  document.documentElement.setAttribute("data-ready", "1");
  if (window.performance && performance.mark) performance.mark("briefgen:ready");
})();
// {% endraw %}
