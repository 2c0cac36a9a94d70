// The wallet's small helpers: the code's countdown and live requests (Server-Sent Events).
(function () {
  "use strict";
  var cd = document.getElementById("countdown");
  if (cd) {
    var end = Date.parse(cd.dataset.expires);
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      cd.textContent = left > 0 ? Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") : cd.dataset.expired;
      if (left > 0) setTimeout(tick, 1000);
    };
    tick();
  }
  var box = document.getElementById("incoming");
  if (box && window.EventSource) {
    var es = new EventSource(box.dataset.events);
    es.addEventListener("request", function (ev) {
      var r = JSON.parse(ev.data);
      if (r.status !== "waiting_consent") return;
      var card = document.createElement("p");
      card.className = "card";
      card.setAttribute("role", "alert");
      var a = document.createElement("a");
      a.href = "/wallet/requests#r-" + r.request;
      a.textContent = box.dataset.open + ": " + r.document + " — " + r.acquirer + ", " + r.branch;
      card.appendChild(a);
      box.appendChild(card);
    });
  }
})();
