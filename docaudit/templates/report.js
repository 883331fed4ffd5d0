// docaudit report: title search on the documents page, flag filter on the timeline.
// Works on file:// and any static host; without JavaScript every row is simply shown.
(function () {
  "use strict";

  function norm(s) {
    return (s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function setCount(el, shown, total) {
    if (el) el.textContent = shown === total ? "" : shown + " of " + total;
  }

  var box = document.querySelector("[data-search-box]");
  if (box) {
    var input = box.querySelector("input[data-filter]");
    var rows = Array.prototype.slice.call(document.querySelectorAll(input.getAttribute("data-filter")));
    var count = box.querySelector("[data-filter-count]");
    var keys = rows.map(function (r) { return norm(r.getAttribute("data-search")); });
    var apply = function () {
      var words = norm(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var hit = words.every(function (w) { return keys[i].indexOf(w) !== -1; });
        row.hidden = !hit;
        if (hit) shown += 1;
      });
      setCount(count, shown, rows.length);
    };
    input.addEventListener("input", apply);
    box.hidden = false;
    apply();
  }

  var filters = document.querySelector("[data-filters]");
  if (filters) {
    var buttons = Array.prototype.slice.call(filters.querySelectorAll("button[data-flag]"));
    var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
    var counter = filters.querySelector("[data-filter-count]");
    var show = function (flag) {
      var shown = 0;
      events.forEach(function (li) {
        var flags = (li.getAttribute("data-flags") || "").split(" ");
        var hit = !flag || flags.indexOf(flag) !== -1;
        li.hidden = !hit;
        if (hit) shown += 1;
      });
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-flag") === flag ? "true" : "false");
      });
      setCount(counter, shown, events.length);
    };
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var flag = b.getAttribute("data-flag");
        show(flag);
        try {
          history.replaceState(null, "", flag ? "#flag=" + encodeURIComponent(flag) : location.pathname);
        } catch (e) {
          // some browsers refuse history changes on file:// pages; the filter works all the same
        }
      });
    });
    var m = /^#flag=([\w-]+)$/.exec(location.hash);
    var known = m && buttons.some(function (b) { return b.getAttribute("data-flag") === m[1]; });
    filters.hidden = false;
    show(known ? m[1] : "");
  }
})();
