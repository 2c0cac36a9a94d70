// The calculator answers as the figures change: the form is posted in the
// background and the estimate the server rendered replaces the old one (the
// result region is aria-live, so a screen reader hears it). Without this file
// the button does the same with a page load.
(function () {
  "use strict";
  var form = document.getElementById("calculator");
  var result = document.getElementById("calc-result");
  if (!form || !result || !window.fetch || !window.DOMParser) { return; }
  var timer = null;
  var asked = 0;
  function update() {
    var mine = ++asked;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        if (mine !== asked) { return; } // a later change already asked again
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("calc-result");
        // Half-typed figures are not errors yet: keep the last estimate until the form is whole.
        if (fresh && fresh.querySelector(".amount, .late")) { result.innerHTML = fresh.innerHTML; }
      })
      .catch(function () { /* the button still works */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
})();
