// Turns the list of text groups on a document page into accessible tabs (WAI-ARIA tabs
// pattern). Without JavaScript the list stays a table of contents and every text is shown.
(function () {
  "use strict";
  function enhance(container) {
    var list = container.querySelector(".tab-list");
    if (!list) return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a[href^='#']"));
    var tabs = [];
    var panels = [];
    list.setAttribute("role", "tablist");
    links.forEach(function (link) {
      var panel = document.getElementById(link.getAttribute("href").slice(1));
      if (!panel) return;
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = link.id;
      tab.textContent = link.textContent;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      link.parentNode.setAttribute("role", "presentation");
      link.parentNode.replaceChild(tab, link);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.setAttribute("tabindex", "0");
      tabs.push(tab);
      panels.push(panel);
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () {
        select(i, false);
        history.replaceState(null, "", "#" + panels[i].id);
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (i + 1) % tabs.length;
        else if (event.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
        else if (event.key === "Home") next = 0;
        else if (event.key === "End") next = tabs.length - 1;
        if (next !== null) {
          event.preventDefault();
          select(next, true);
        }
      });
    });
    function fromHash(initial) {
      var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
      for (var i = 0; target && i < panels.length; i++) {
        if (panels[i] === target || panels[i].contains(target)) {
          select(i, false);
          if (panels[i] !== target) target.scrollIntoView();
          return;
        }
      }
      if (initial) select(0, false);
    }
    container.classList.add("enhanced");
    fromHash(true);
    window.addEventListener("hashchange", function () { fromHash(false); });
  }
  document.querySelectorAll("[data-tabs]").forEach(enhance);
})();
