// yoshiki inspect: point at a value for its path, typed value and raw
// text; click it to keep it in the side panel and find it in the tree;
// click a tree line or a warning to find it on the page. Text is only ever
// set as text (textContent), never parsed as HTML.
(function () {
  "use strict";
  var el = document.getElementById("report-data");
  var data = {};
  try { data = JSON.parse(el ? el.textContent : "{}") || {}; } catch (e) { data = {}; }
  var H = data.h || [];
  var doc = document.getElementById("doc");
  var panel = document.getElementById("panel");
  var tip = document.getElementById("tip");
  var sel = document.getElementById("sel");

  function ids(node, attr) {
    return (node.getAttribute(attr) || "").split(" ").filter(Boolean).map(Number);
  }
  function hit(target, attr) {
    return target && target.closest ? target.closest("[" + attr + "]") : null;
  }
  function set(root, cls, text) {
    var n = root.querySelector(cls);
    if (n) { n.textContent = text; }
  }

  function showTip(i, x, y) {
    var v = H[i];
    if (!tip || !v) { return; }
    tip.textContent = "";
    var p = document.createElement("div");
    p.className = "p";
    p.textContent = v.p + "  (" + v.k + ")";
    var r = document.createElement("pre");
    r.textContent = v.r;
    var t = document.createElement("pre");
    t.textContent = v.v;
    tip.appendChild(p);
    tip.appendChild(r);
    tip.appendChild(t);
    tip.hidden = false;
    place(x, y);
  }
  function place(x, y) {
    if (!tip || tip.hidden) { return; }
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 4);
    var top = y + 16 + h > window.innerHeight ? y - h - 10 : y + 16;
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = Math.max(0, top) + "px";
  }

  function marked(root, attr, i) {
    return root ? root.querySelectorAll("[" + attr + "~=\"" + i + "\"]") : [];
  }
  function clearSel() {
    document.querySelectorAll(".sel").forEach(function (n) { n.classList.remove("sel"); });
  }
  function flash(n) {
    n.classList.remove("flash");
    void n.getBoundingClientRect();
    n.classList.add("flash");
  }
  function reveal(n) {
    for (var d = n.parentElement; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") { d.open = true; }
    }
    n.scrollIntoView({ block: "center" });
  }

  function select(i, scrollDoc) {
    var v = H[i];
    if (!v) { return; }
    clearSel();
    marked(doc, "data-h", i).forEach(function (n) { n.classList.add("sel"); });
    marked(panel, "data-h", i).forEach(function (n) { n.classList.add("sel"); });
    if (sel) {
      var dl = sel.querySelector("dl");
      if (dl) { dl.hidden = false; }
      set(sel, ".sel-p", v.p);
      set(sel, ".sel-k", v.k);
      set(sel, ".sel-a", v.a);
      set(sel, ".sel-f", v.f);
      set(sel, ".sel-v", v.v);
      set(sel, ".sel-r", v.r);
    }
    var there = marked(doc, "data-h", i)[0];
    if (scrollDoc && there) {
      reveal(there);
      flash(there);
    }
    var line = panel ? panel.querySelector(".tree [data-h~=\"" + i + "\"]") : null;
    if (!scrollDoc && line) { reveal(line); }
  }

  // `report.html#value=<model path>` opens with that value selected.
  var want = /^#value=(.+)$/.exec(window.location.hash);
  if (want) {
    var path = decodeURIComponent(want[1]);
    for (var k = 0; k < H.length; k++) {
      if (H[k].p === path) { select(k, true); break; }
    }
  }

  document.addEventListener("mouseover", function (e) {
    var n = hit(e.target, "data-h");
    if (!n || (panel && panel.contains(n))) {
      if (tip) { tip.hidden = true; }
      return;
    }
    showTip(ids(n, "data-h")[0], e.clientX, e.clientY);
  });
  document.addEventListener("mousemove", function (e) { place(e.clientX, e.clientY); });
  document.addEventListener("click", function (e) {
    var w = hit(e.target, "data-w");
    if (w && panel && panel.contains(w)) {
      e.preventDefault();
      var k = ids(w, "data-w")[0];
      var m = marked(doc, "data-w", k)[0];
      if (m) { clearSel(); m.classList.add("sel"); reveal(m); flash(m); }
      return;
    }
    var n = hit(e.target, "data-h");
    if (!n) { return; }
    e.preventDefault();
    select(ids(n, "data-h")[0], !!(panel && panel.contains(n)));
  });
})();
