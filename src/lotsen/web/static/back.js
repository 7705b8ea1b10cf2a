// "Tillbaka" on error pages: the browser's own back step. A script file rather than a
// javascript: link, which the Content-Security-Policy (script-src 'self') refuses.
document.querySelectorAll("a[data-back]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
