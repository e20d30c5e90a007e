// "Select all on this page" of the applications table. Without this script the box
// stays hidden (.js-only) and each row's checkbox still works on its own. The table is
// replaced by htmx when filtering, so the listener sits on the document, not the box.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function rows(box) {
    var form = box.form;
    var name = box.getAttribute("data-select-all");
    return form ? Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="' + name + '"]')) : [];
  }

  function sync(form) {
    var box = form && form.querySelector("input[data-select-all]");
    if (!box) {
      return;
    }
    var all = rows(box);
    var ticked = all.filter(function (row) { return row.checked; }).length;
    box.checked = all.length > 0 && ticked === all.length;
    box.indeterminate = ticked > 0 && ticked < all.length;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== "checkbox" || !target.form) {
      return;
    }
    if (target.hasAttribute("data-select-all")) {
      rows(target).forEach(function (row) { row.checked = target.checked; });
    }
    sync(target.form);
  });
})();
