// The counter page for shared documents. Without this file the pages work
// as a plain form and a status page with a refresh link.
(function () {
  "use strict";

  // Mirrors dossier_domain::sharing::ean13_check_digit: weights 1, 3, 1, 3…
  // over the first twelve digits; the server checks again.
  function ean13CheckDigit(first12) {
    var sum = 0;
    for (var i = 0; i < 12; i++) sum += first12[i] * (i % 2 === 0 ? 1 : 3);
    return (10 - (sum % 10)) % 10;
  }

  function checkCode(input, out) {
    var digits = input.value.replace(/[\s\-\u00a0]/g, "");
    input.setCustomValidity("");
    out.textContent = "";
    if (digits.length === 0) return;
    if (!/^[0-9]{13}$/.test(digits)) {
      if (digits.length >= 13 || /[^0-9]/.test(digits)) {
        out.textContent = input.dataset.msgFormat;
        input.setCustomValidity(input.dataset.msgFormat);
      }
      return;
    }
    var d = digits.split("").map(Number);
    if (ean13CheckDigit(d.slice(0, 12)) !== d[12]) {
      out.textContent = input.dataset.msgChecksum;
      input.setCustomValidity(input.dataset.msgChecksum);
    } else {
      out.textContent = input.dataset.msgOk;
    }
  }

  var code = document.getElementById("barcode");
  var out = document.getElementById("barcode-check");
  if (code && out) {
    code.addEventListener("input", function () { checkCode(code, out); });
    checkCode(code, out);
  }

  // Follows a request's status over Server-Sent Events; when it reaches a
  // final status the page is loaded once more to show the copy.
  var box = document.getElementById("sharing-status");
  if (box && box.dataset.live === "true" && window.EventSource) {
    var refresh = document.getElementById("refresh");
    if (refresh) refresh.hidden = true;
    var lang = document.documentElement.lang === "en" ? "en" : "uk";
    var text = document.getElementById("status-text");
    var err = document.getElementById("status-error");
    var es = new EventSource("/api/v1/sharing/requests/" + box.dataset.request + "/events");
    es.addEventListener("status", function (ev) {
      var r = JSON.parse(ev.data);
      text.textContent = r.statusText[lang];
      text.dataset.status = r.status;
      if (r.error) { err.textContent = r.error[lang]; err.hidden = false; } else { err.hidden = true; }
      if (r.finalStatus) { es.close(); window.location.reload(); }
    });
    es.onerror = function () { if (refresh) refresh.hidden = false; };
  }
})();
