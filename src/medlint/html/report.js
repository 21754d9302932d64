"use strict";
// Sorting and filtering for the report's tables. The page works without it: the rows are all there.
(function () {
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function compare(a, b, numeric) {
    if (a === "" || b === "") { return (a === "") - (b === ""); }  // blanks last, whichever the direction
    if (numeric) { return Number(a) - Number(b); }
    return a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = button.getAttribute("data-type") === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var a = cellValue(x, index), b = cellValue(y, index);
          if (a === "" || b === "") { return compare(a, b, numeric); }
          return ascending ? compare(a, b, numeric) : compare(b, a, numeric);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });

  document.querySelectorAll("[data-filter-for]").forEach(function (controls) {
    var target = document.getElementById(controls.getAttribute("data-filter-for"));
    if (!target) { return; }
    var items = Array.prototype.slice.call(target.querySelectorAll("[data-status]"));
    var text = controls.querySelector("input");
    var choice = controls.querySelector("select");
    var count = controls.querySelector(".count");
    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var status = choice.value;
      var shown = 0;
      items.forEach(function (item) {
        var haystack = item.textContent.toLowerCase();
        var visible = (!status || item.getAttribute("data-status") === status) &&
          words.every(function (word) { return haystack.indexOf(word) !== -1; });
        item.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = "Showing " + shown + " of " + items.length;
    }
    text.addEventListener("input", apply);
    choice.addEventListener("change", apply);
    apply();
  });
}());
