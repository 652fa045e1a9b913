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
  // Data files that hand themselves over (the search's and the case finder's): a script
  // element loads them from file://, where fetch is refused. `registry` is the Map the files
  // write into; `load(key, url)` resolves with registry.get(key) once the file has run, and
  // fails if it is missing or did not register (damaged). Each file is requested once.
  window.casepressLoader = function (registry) {
    var loading = new Map();
    return function load(key, url) {
      if (registry.has(key)) { return Promise.resolve(registry.get(key)); }
      if (!loading.has(key)) {
        loading.set(key, new Promise(function (resolve, reject) {
          var element = document.createElement("script");
          element.src = url;
          element.onload = function () {
            if (registry.has(key)) { resolve(registry.get(key)); }
            else { reject(new Error(url + " did not register its data")); }
          };
          element.onerror = function () { reject(new Error(url + " could not be loaded")); };
          document.head.appendChild(element);
        }).finally(function () { loading.delete(key); }));
      }
      return loading.get(key);
    };
  };
})();

// Run `init` on each page the reader sees: once Material's instant navigation has swapped a
// page in (document$), or once the document is ready when it is absent (e.g. other engines).
window.casepressOnEveryPage = function (init) {
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
};
