// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // A form is sent once: its submit button is disabled while the page answers.
  document.addEventListener('submit', function (e) {
    var b = e.target.querySelector('button[type="submit"]');
    if (b) { setTimeout(function () { b.disabled = true; }, 0); }
  });
})();
