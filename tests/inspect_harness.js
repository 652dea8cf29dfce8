// The harness of tests/inspect.rs: when every report's frame has loaded,
// drive each report's script (hover, click, a tree line, a warning) and
// write what happened into #results.
window.addEventListener("load", function () {
  var out = [];
  document.querySelectorAll("iframe").forEach(function (f) {
    var d = f.contentDocument, w = f.contentWindow, say = function (s) { out.push(f.name + ": " + s); };
    try {
      var data = JSON.parse(d.getElementById("report-data").textContent);
      if (!d.getElementById("doc")) {
        say(d.querySelector("h1") && d.querySelectorAll("table").length > 0 ? "ok page" : "FAIL no ward-year page");
        return;
      }
      var mark = d.querySelector("#doc [data-h]");
      if (!mark) { say("FAIL no value marked"); return; }
      var id = Number(mark.getAttribute("data-h").split(" ")[0]);
      mark.dispatchEvent(new w.MouseEvent("mouseover", { bubbles: true, clientX: 5, clientY: 5 }));
      var tip = d.getElementById("tip");
      if (tip.hidden || tip.textContent.indexOf(data.h[id].p) < 0) { say("FAIL hover shows no path"); return; }
      mark.dispatchEvent(new w.MouseEvent("click", { bubbles: true }));
      var shown = d.querySelector("#sel .sel-p").textContent;
      if (shown !== data.h[id].p) { say("FAIL click shows " + shown); return; }
      if (!mark.classList.contains("sel")) { say("FAIL the clicked value is not selected"); return; }
      var leaf = d.querySelector("#panel .tree [data-h]");
      if (leaf) {
        var lid = leaf.getAttribute("data-h").split(" ")[0];
        leaf.dispatchEvent(new w.MouseEvent("click", { bubbles: true }));
        var there = d.querySelector('#doc [data-h~="' + lid + '"]');
        if (!there || !there.classList.contains("sel")) { say("FAIL a tree line finds nothing"); return; }
      }
      var warn = d.querySelector("#panel a[data-w]");
      if (warn) { warn.dispatchEvent(new w.MouseEvent("click", { bubbles: true })); }
      say("ok " + d.querySelectorAll("#doc [data-h]").length + " marks");
    } catch (e) { say("FAIL " + e); }
  });
  document.getElementById("results").textContent = out.join("\n");
});
