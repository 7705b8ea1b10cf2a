// Lists sort by any column: each heading of a table.sortable becomes a button; a
// second press reverses. Numbers and dates sort as such (Swedish collation, numeric).
(function () {
  function cellText(row, index) {
    const cell = row.children[index];
    return cell ? cell.textContent.trim().replace(/\s/g, " ") : "";
  }
  function sortBy(table, index, th) {
    const body = table.tBodies[0];
    if (!body) return;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = cellText(a, index).replace(/\u202f/g, ""), y = cellText(b, index).replace(/\u202f/g, "");
      const order = x.localeCompare(y, "sv", { numeric: true, sensitivity: "base" });
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setUp() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      const heads = table.tHead ? table.tHead.rows[0].cells : [];
      Array.from(heads).forEach(function (th, index) {
        if (!th.textContent.trim() || th.querySelector(".visually-hidden")) return;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent.trim();
        button.title = "Sortera efter " + button.textContent.toLowerCase();
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, index, th); });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
