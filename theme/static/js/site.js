/* 长者模式 (elderly-friendly mode): larger text, more contrast, remembered across pages.
   Loaded in <head> so the class is set before the first paint; no inline script (CSP). */
(function () {
  "use strict";
  var KEY = "xxgk-elder";
  var root = document.documentElement;
  var on = false;
  try { on = window.localStorage.getItem(KEY) === "1"; } catch (e) { on = false; }
  root.classList.toggle("elder", on);

  function sync(button) {
    root.classList.toggle("elder", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-elder-toggle]");
    if (!button) { return; }
    button.hidden = false;
    sync(button);
    button.addEventListener("click", function () {
      on = !on;
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
      sync(button);
    });
  });
})();
