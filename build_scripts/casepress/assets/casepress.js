// casepress: small, dependency-free behaviour. Works from file:// and with instant loading.
(function () {
  function copyText(button) {
    var text = button.getAttribute("data-copy") || "";
    function done() { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "absolute"; area.style.left = "-9999px";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more we can do offline */ }
    document.body.removeChild(area);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.cp-copy");
    if (button) { copyText(button); }
  });
  // A wide table scrolls sideways on a small screen: its scrolling box must be reachable by
  // keyboard to be scrolled without a mouse (WCAG 2.1.1).
  function focusableScrollers() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    });
  }
  window.addEventListener("load", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
})();
