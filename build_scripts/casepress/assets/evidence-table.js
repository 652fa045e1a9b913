// casepress: sortable columns and site/intervention filters for evidence tables.
// Acts only on tables inside <div class="cp-evidence">; without JavaScript the table is
// complete and readable as built. No dependencies, works from file:// and with Material's
// instant navigation (document$), where the page body is swapped without a reload.
(function () {
  "use strict";

  // Cells with no number to sort by ("single case": a case report is not a proportion).
  var MISSING = /^(|—|-|not stated|single case)$/i;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // A number at the start of the cell ("20", "80.0% (≈16/20)", "4"), else null.
  function leadingNumber(text) {
    var match = /^[≈~]?\s*(-?\d+(?:\.\d+)?)/.exec(text);
    return match ? parseFloat(match[1]) : null;
  }

  function compareCells(a, b, numeric) {
    if (numeric) { return leadingNumber(a) - leadingNumber(b); }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, index, button) {
    var header = button.parentNode;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.every(function (row) {
      var text = cellText(row, index);
      return MISSING.test(text) || leadingNumber(text) !== null;
    });
    rows.sort(function (r1, r2) {
      var a = cellText(r1, index), b = cellText(r2, index);
      // Empty cells go last whichever way the column is sorted.
      var aMissing = MISSING.test(a), bMissing = MISSING.test(b);
      if (aMissing || bMissing) { return aMissing === bMissing ? 0 : aMissing ? 1 : -1; }
      var order = compareCells(a, b, numeric);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    announce(table, "Sorted by " + button.getAttribute("data-label") +
      (ascending ? ", ascending." : ", descending."));
  }

  function announce(table, message) {
    var status = table.casepressStatus;
    if (status) { status.textContent = message; }
  }

  function addSortButtons(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var label = th.textContent.replace(/\s+/g, " ").trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cp-sort";
      button.setAttribute("data-label", label);
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var hint = document.createElement("span");
      hint.className = "cp-visually-hidden";
      hint.textContent = " (sort)";
      button.appendChild(hint);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, button); });
    });
  }

  function columnIndex(table, name) {
    var cells = table.tHead.rows[0].cells;
    for (var i = 0; i < cells.length; i++) {
      var button = cells[i].querySelector("button.cp-sort");
      var label = button ? button.getAttribute("data-label") : cells[i].textContent.trim();
      if (label === name) { return i; }
    }
    return -1;
  }

  function applyFilters(table, filters) {
    var rows = table.tBodies[0].rows, shown = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var visible = filters.every(function (f) {
        return f.select.value === "" || cellText(row, f.index) === f.select.value;
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    announce(table, "Showing " + shown + " of " + rows.length + " studies.");
  }

  function addFilters(wrapper, table, uid) {
    var names = (wrapper.getAttribute("data-filter") || "").split("|").filter(Boolean);
    var bar = document.createElement("div");
    bar.className = "cp-evidence-tools";
    var filters = [];
    names.forEach(function (name, n) {
      var index = columnIndex(table, name);
      if (index < 0) { return; }
      var values = [];
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = cellText(row, index);
        if (text && values.indexOf(text) < 0) { values.push(text); }
      });
      values.sort(function (a, b) { return a.localeCompare(b); });
      var id = "cp-filter-" + uid + "-" + n;
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = name;
      var select = document.createElement("select");
      select.id = id;
      select.appendChild(new Option("All", ""));
      values.forEach(function (value) { select.appendChild(new Option(value, value)); });
      select.addEventListener("change", function () { applyFilters(table, filters); });
      var field = document.createElement("span");
      field.className = "cp-evidence-filter";
      field.appendChild(label);
      field.appendChild(select);
      bar.appendChild(field);
      filters.push({ index: index, select: select });
    });
    var status = document.createElement("p");
    status.className = "cp-evidence-status";
    status.setAttribute("role", "status");
    table.casepressStatus = status;
    wrapper.insertBefore(bar, wrapper.firstChild);
    wrapper.insertBefore(status, bar.nextSibling);
  }

  function init() {
    var wrappers = document.querySelectorAll("div.cp-evidence");
    Array.prototype.forEach.call(wrappers, function (wrapper, uid) {
      if (wrapper.getAttribute("data-cp-ready")) { return; }
      var table = wrapper.querySelector("table");
      if (!table || !table.tHead || !table.tBodies.length) { return; }
      wrapper.setAttribute("data-cp-ready", "true");
      addSortButtons(table);
      addFilters(wrapper, table, uid);
    });
  }

  window.casepressOnEveryPage(init);  // casepress.js
})();
