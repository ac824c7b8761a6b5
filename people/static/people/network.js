"use strict";
// Highlights the relations of the person or organization under the pointer or focus.
document.addEventListener("DOMContentLoaded", function () {
document.querySelectorAll(".network-graph .nodes a").forEach(function (node) {
  function mark(on) {
    var id = node.dataset.agent;
    document.querySelectorAll('.network-graph .edges a').forEach(function (edge) {
      if (edge.dataset.source === id || edge.dataset.target === id) edge.classList.toggle("lit", on);
    });
  }
  node.addEventListener("mouseenter", function () { mark(true); });
  node.addEventListener("mouseleave", function () { mark(false); });
  node.addEventListener("focus", function () { mark(true); });
  node.addEventListener("blur", function () { mark(false); });
});
});
