// Small behaviours that would otherwise be inline handlers: the Content-Security-Policy allows
// scripts from Finsam's own files only (config/settings/base.py, CONTENT_SECURITY_POLICY).
//   <select data-autosubmit>            submits its form when the choice changes
//   <button data-print>                 opens the print dialog
//   <form data-confirm="Question?">     asks before it is sent
//   <details>                           opened before printing, so that the paper has every table
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.setAttribute("open", "");
    });
  });
})();
