// An occupation field (macros/forms.html occupation_field, on the vacancy form and the
// job seeker's forms): names the chosen KBJI group under the field as soon as a code
// from the list is in it. Without this script the name shows once the form is saved or
// sent back; the list itself works without it.
(function () {
  "use strict";
  var list = document.getElementById("kbji-groups");
  if (!list) {
    return;
  }
  Array.prototype.forEach.call(
    document.querySelectorAll('input[list="kbji-groups"]'),
    function (field) {
      var name = document.getElementById(field.id + "-name");
      if (!name) {
        return;
      }
      var prefix = name.getAttribute("data-prefix") || "";
      field.addEventListener("input", function () {
        var code = field.value.trim();
        var found = "";
        if (/^[0-9]{1,6}$/.test(code)) {
          // Like the server (reference.kbji.kbji_group): a precise code is named by its
          // sub-major group (two digits), else by its major group.
          [code.slice(0, 2), code.slice(0, 1)].forEach(function (group) {
            Array.prototype.forEach.call(list.options, function (option) {
              if (!found && option.value === group) {
                found = option.textContent.replace(/^[0-9]+ · /, "");
              }
            });
          });
        }
        name.textContent = found ? prefix + " " + found : "";
      });
    }
  );
})();
