// Progressive enhancement of the plan editor: the timeline is checked on the
// server while it is typed. Without this script the "check" button does it.
(function () {
  "use strict";
  var input = document.getElementById("f-timeline");
  var result = document.getElementById("timeline-result");
  if (!input || !result || !window.fetch) { return; }
  var annual = document.getElementById("f-annual_date");
  var timer = null;
  var asked = 0;
  function check() {
    var number = ++asked;
    var url = input.getAttribute("data-check") + "?text=" + encodeURIComponent(input.value) +
      "&annual_date=" + encodeURIComponent(annual ? annual.value : "") +
      (document.documentElement.lang === "en" ? "&lang=en" : "");
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html !== null && number === asked) { result.innerHTML = html; }
    }).catch(function () {});
  }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 350);
  });
}());
