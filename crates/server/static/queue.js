// The queue's live pages (a ticket, the hall screen) fetch themselves again
// every few seconds and swap in their live region, which is aria-live
// ("polite"), so a screen reader hears a call. Without this file the page's
// own link reloads it.
(function () {
  "use strict";
  var live = document.getElementById("queue-live");
  if (!live || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(live.getAttribute("data-refresh"), 10) || 10;
  function update() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("queue-live");
        // Only a change is swapped in, so a screen reader is told news, not the same words again.
        if (fresh && fresh.innerHTML !== live.innerHTML) {
          live.innerHTML = fresh.innerHTML;
          live.className = fresh.className;
        }
      })
      .catch(function () { /* the link still works */ });
  }
  setInterval(update, seconds * 1000);
})();
