"""Write ``archive/static/kiroku/world.svg``, the land outline behind the place maps.

The outline is Natural Earth's land (public domain), as packaged in the npm package
``world-atlas`` (ISC licence, TopoJSON): ``npm pack world-atlas@2.0.2`` and pass the path of its
``land-110m.json``. The projection is plate carrée in degrees (x = longitude + 180,
y = 90 − latitude, viewBox ``0 0 360 180``), so the site places a point without any projection
code; coordinates are rounded to 0.1° and rings smaller than that are dropped to keep the file
small. Run it again only to change the outline::

    python scripts/world_map.py /path/to/package/land-110m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "archive" / "static" / "kiroku" / "world.svg"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (longitude, latitude), un-quantized."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(
    ring: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def ring_path(points: list[tuple[float, float]]) -> str:
    projected = []
    for lon, lat in points:
        point = (round(lon + 180, 1), round(90 - lat, 1))
        if not projected or projected[-1] != point:
            projected.append(point)
    if len(projected) < 4:
        return ""
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in projected) + "Z"


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            paths.extend(filter(None, (ring_path(ring_points(ring, arcs)) for ring in polygon)))
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">'
        "<!-- Land: Natural Earth 1:110m (public domain), via world-atlas 2.0.2 (ISC). -->"
        f'<path fill="#e4dccb" stroke="#b9ad96" stroke-width=".08" d="{"".join(paths)}"/></svg>\n'
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
