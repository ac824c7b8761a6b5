/* Kiroku browse pages: drag across the year histogram to choose a date range.
   Progressive enhancement only: without this script every bar is a link to its year and the
   from–to form sets any range. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function enhance(svg) {
    var first = parseInt(svg.dataset.first, 10);
    var last = parseInt(svg.dataset.last, 10);
    var span = last - first + 1;
    var form = svg.closest(".histogram").querySelector("form.range");
    if (!form || !span) return;
    var brush = null;
    var start = null;
    var moved = false;

    function yearAt(event) {
      var box = svg.getBoundingClientRect();
      var x = (event.clientX - box.left) / box.width;
      return Math.min(last, Math.max(first, first + Math.floor(x * span)));
    }
    function draw(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b);
      brush.setAttribute("x", ((lo - first) * 100) / span);
      brush.setAttribute("width", ((hi - lo + 1) * 100) / span);
    }
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      start = yearAt(event);
      moved = false;
      brush = document.createElementNS(SVG, "rect");
      brush.setAttribute("class", "brush");
      brush.setAttribute("y", "0");
      brush.setAttribute("height", "40");
      svg.appendChild(brush);
      draw(start, start);
    });
    svg.addEventListener("pointermove", function (event) {
      if (start === null) return;
      var year = yearAt(event);
      if (year !== start && !moved) {
        moved = true;  // a drag, not a click: keep the pointer until it is released
        svg.setPointerCapture(event.pointerId);
      }
      draw(start, year);
    });
    svg.addEventListener("pointerup", function (event) {
      if (start === null) return;
      var end = yearAt(event);
      var lo = Math.min(start, end), hi = Math.max(start, end);
      start = null;
      if (!moved) {  // a click: let the bar's own link choose its year
        brush.remove();
        return;
      }
      event.preventDefault();
      form.querySelector("[name=date_from]").value = String(lo);
      form.querySelector("[name=date_to]").value = String(hi);
      form.submit();
    });
    // a drag ends on some bar: do not follow that bar's link as well
    svg.addEventListener("click", function (event) {
      if (moved) event.preventDefault();
    }, true);
  }

  document.querySelectorAll("svg.bars[data-first]").forEach(enhance);
})();
