// Dossier: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  // Move keyboard focus to an error summary so screen readers announce it.
  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Form 1: open the disability block when the pension kind is "disability".
  function disabilityBlock(form) {
    var kind = form.querySelector("select[name='pension_kind']");
    var block = form.querySelector("#f-disability");
    if (!kind || !block) { return; }
    kind.addEventListener("change", function () {
      if (kind.value === "disability") { block.open = true; }
    });
  }

  // Form 1: offer only the issuing places that fit the chosen form
  // (fund offices for paper, bank branches for a card).
  function issueUnits(form) {
    var select = form.querySelector("select[name='issue_unit_id']");
    var radios = form.querySelectorAll("input[name='form']");
    if (!select || !radios.length) { return; }
    function apply() {
      var chosen = form.querySelector("input[name='form']:checked");
      var value = chosen ? chosen.value : "";
      var groups = select.querySelectorAll("optgroup[data-form]");
      for (var i = 0; i < groups.length; i++) {
        var off = value !== "" && groups[i].getAttribute("data-form") !== value;
        groups[i].disabled = off;
        groups[i].hidden = off;
      }
      var selected = select.options[select.selectedIndex];
      if (selected && selected.parentNode && selected.parentNode.disabled) { select.value = ""; }
    }
    for (var i = 0; i < radios.length; i++) { radios[i].addEventListener("change", apply); }
    apply();
  }

  ready(function () {
    focusErrors();
    var forms = document.querySelectorAll("form[data-app-form]");
    for (var i = 0; i < forms.length; i++) {
      disabilityBlock(forms[i]);
      issueUnits(forms[i]);
    }
  });
})();
