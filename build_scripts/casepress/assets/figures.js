// casepress: figure zoom and image stacks. No dependencies; works from file:// and with
// Material's instant navigation (document$).
//
// Zoom: a click on a figure panel (or Enter on its focused link) opens the full-size image
// in a modal <dialog> with its caption. The modal dialog makes the page behind it inert and
// closes on Esc; Tab cycles through its buttons; the arrow keys move between the page's
// panels; focus goes back to the panel on close. Without JavaScript the link opens the
// image itself.
//
// Stacks: a panel with data-cp-frames="N" is a series whose frames sit beside its key image
// (mri-a.png -> mri-a/001.png ...). A slider (arrow keys, Home, End) and the mouse wheel
// move through them, with a frame counter; the key image stays the static fallback.
(function () {
  "use strict";

  var state = { dialog: null, links: [], index: -1, opener: null };

  function captionOf(link) {
    var panel = link.closest("figure.cp-panel");
    var caption = panel && panel.querySelector("figcaption");
    return caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function makeDialog() {
    var dialog = document.createElement("dialog");
    dialog.className = "cp-lightbox";
    dialog.setAttribute("aria-label", "Figure panel, full size");
    var figure = document.createElement("figure");
    var image = document.createElement("img");
    var caption = document.createElement("figcaption");
    figure.appendChild(image);
    figure.appendChild(caption);
    var count = document.createElement("p");
    count.className = "cp-lightbox__count";
    count.setAttribute("aria-live", "polite");
    dialog.appendChild(figure);
    dialog.appendChild(count);
    [["prev", "Previous panel", "\u2039"], ["next", "Next panel", "\u203a"],
     ["close", "Close", "\u00d7"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cp-lightbox__" + spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.textContent = spec[2];
      button.addEventListener("click", function () {
        if (spec[0] === "close") { dialog.close(); } else { move(spec[0] === "next" ? 1 : -1); }
      });
      dialog.appendChild(button);
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") { move(1); event.preventDefault(); }
      if (event.key === "ArrowLeft") { move(-1); event.preventDefault(); }
      if (event.key === "Tab") {  // keep focus in the dialog, not in the browser's toolbar
        var buttons = Array.prototype.filter.call(dialog.querySelectorAll("button"),
                                                  function (b) { return !b.hidden; });
        var first = buttons[0], last = buttons[buttons.length - 1];
        if (event.shiftKey && document.activeElement === first) {
          last.focus(); event.preventDefault();
        } else if (!event.shiftKey && document.activeElement === last) {
          first.focus(); event.preventDefault();
        }
      }
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }  // the backdrop
    });
    dialog.addEventListener("close", function () {
      if (state.opener) { state.opener.focus(); }
    });
    document.body.appendChild(dialog);
    return dialog;
  }

  function show(index) {
    var link = state.links[index];
    var thumbnail = link.querySelector("img");
    var dialog = state.dialog;
    state.index = index;
    var image = dialog.querySelector("img");
    image.src = link.href;
    image.alt = thumbnail ? thumbnail.alt : "";
    dialog.querySelector("figcaption").textContent = captionOf(link);
    dialog.querySelector(".cp-lightbox__count").textContent =
      "Panel " + (index + 1) + " of " + state.links.length;
    var several = state.links.length > 1;
    dialog.querySelector(".cp-lightbox__prev").hidden = !several;
    dialog.querySelector(".cp-lightbox__next").hidden = !several;
  }

  function move(step) {
    var total = state.links.length;
    show((state.index + step + total) % total);
  }

  function open(link) {
    if (!state.dialog || !document.body.contains(state.dialog)) { state.dialog = makeDialog(); }
    state.opener = link;
    show(state.links.indexOf(link));
    if (!state.dialog.open) { state.dialog.showModal(); }
    state.dialog.querySelector(".cp-lightbox__close").focus();
  }

  function frameUrl(keyUrl, number) {
    var dot = keyUrl.lastIndexOf(".");
    return keyUrl.slice(0, dot) + "/" + ("00" + number).slice(-3) + keyUrl.slice(dot);
  }

  function makeStack(panel) {
    var total = parseInt(panel.getAttribute("data-cp-frames"), 10);
    var link = panel.querySelector("a.cp-zoom");
    var image = link && link.querySelector("img");
    if (!image || !(total > 1) || panel.querySelector(".cp-stack")) { return; }
    var key = link.getAttribute("href");
    var controls = document.createElement("div");
    controls.className = "cp-stack";
    var slider = document.createElement("input");
    slider.type = "range";
    slider.min = "1";
    slider.max = String(total);
    slider.value = String(Math.floor(total / 2) + 1);  // the key image is the middle frame
    var id = panel.id + "-frame";
    slider.id = id;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Image in the stack";
    var counter = document.createElement("output");
    counter.htmlFor = id;
    counter.setAttribute("aria-live", "polite");
    function go(number) {
      var n = Math.min(total, Math.max(1, number));
      slider.value = String(n);
      image.removeAttribute("srcset");  // the frames come in one size
      image.removeAttribute("sizes");
      image.src = frameUrl(key, n);
      link.href = image.src;
      counter.textContent = n + " / " + total;
      slider.setAttribute("aria-valuetext", "image " + n + " of " + total);
    }
    slider.addEventListener("input", function () { go(parseInt(slider.value, 10)); });
    image.addEventListener("wheel", function (event) {
      event.preventDefault();
      go(parseInt(slider.value, 10) + (event.deltaY > 0 ? 1 : -1));
    }, { passive: false });
    controls.appendChild(label);
    controls.appendChild(slider);
    controls.appendChild(counter);
    link.parentNode.insertBefore(controls, link.nextSibling);
    counter.textContent = slider.value + " / " + total;
    slider.setAttribute("aria-valuetext", "image " + slider.value + " of " + total);
  }

  function init() {
    state.links = Array.prototype.slice.call(document.querySelectorAll("a.cp-zoom"));
    state.links.forEach(function (link) {
      if (link.getAttribute("data-cp-zoom")) { return; }
      link.setAttribute("data-cp-zoom", "1");
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
        if (typeof HTMLDialogElement !== "function") { return; }  // the link opens the image
        event.preventDefault();
        open(link);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("figure.cp-panel[data-cp-frames]"),
                                 makeStack);
  }

  window.casepressOnEveryPage(init);  // casepress.js
})();
