// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // A form is sent once: its submit button is disabled while the page answers.
  document.addEventListener('submit', function (e) {
    var b = e.target.querySelector('button[type="submit"]');
    if (b) { setTimeout(function () { b.disabled = true; }, 0); }
  });
  // After a refused form, the keyboard and screen reader start at the summary of what to correct.
  var first = document.querySelector('[data-focus]');
  if (first) { first.focus(); }
})();
