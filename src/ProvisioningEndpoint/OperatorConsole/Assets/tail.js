// The live tail of a device's telemetry: polls the page's Feed handler every second and appends
// the rows it returns. Text goes in through textContent only (never markup). Without this script
// the page still shows the newest messages.
(function () {
  "use strict";
  var tail = document.getElementById("tail");
  var rows = document.getElementById("tail-rows");
  var state = document.getElementById("tail-state");
  if (!tail || !rows) return;
  var after = tail.getAttribute("data-after");
  var feed = tail.getAttribute("data-feed");
  state.textContent = "Live: new messages appear below.";
  function cell(row, text, mono) {
    var td = document.createElement("td");
    td.textContent = text;
    if (mono) td.className = "mono";
    row.appendChild(td);
  }
  function poll() {
    fetch(feed + "&after=" + encodeURIComponent(after), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        after = body.after;
        body.messages.forEach(function (m) {
          var row = document.createElement("tr");
          cell(row, m.received, false);
          cell(row, m.properties, true);
          cell(row, m.body, true);
          rows.appendChild(row);
        });
        state.textContent = "Live: new messages appear below.";
      })
      .catch(function (e) { state.textContent = "Live tail paused (" + e.message + "); retrying."; })
      .finally(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
