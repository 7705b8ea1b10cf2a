"""The region's municipalities as an inline SVG map, drawn on the server.

Geometry ships with Lotsen (``load_municipality_geometry``), so the map needs no
tiles or scripts from the internet, works without JavaScript, and each area has
a ``<title>`` a screen reader reads. The page also shows the same numbers as a table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache
from html import escape
from typing import Any

from markupsafe import Markup

from lotsen.taxonomy import load_municipality_geometry

WIDTH = 360
# Light to dark blue, readable against the grey of municipalities outside any tenant.
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
OUTSIDE = "#eeeeee"


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@cache
def _features(counties: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(code, name, SVG path) of every municipality in ``counties``, projected once."""
    chosen = [
        f for f in load_municipality_geometry()["features"]
        if f["properties"]["county_code"] in counties
    ]
    points = [pt for f in chosen for ring in _rings(f["geometry"]) for pt in ring]
    if not points:
        return ()
    lat0 = math.radians(sum(p[1] for p in points) / len(points))
    xs = [p[0] * math.cos(lat0) for p in points]
    ys = [p[1] for p in points]
    scale = WIDTH / (max(xs) - min(xs))
    left, top = min(xs), max(ys)
    out = []
    for feature in chosen:
        parts = []
        for ring in _rings(feature["geometry"]):
            coords = " ".join(
                f"{(lon * math.cos(lat0) - left) * scale:.1f},{(top - lat) * scale:.1f}"
                for lon, lat in ring[:: max(1, len(ring) // 400)]
            )
            parts.append(f"M{coords}Z")
        props = feature["properties"]
        out.append((props["municipality_code"], props["municipality_name"], "".join(parts)))
    return tuple(out)


@cache
def _height(counties: tuple[str, ...]) -> int:
    paths = _features(counties)
    ys = [float(pt.split(",")[1]) for _, _, d in paths for pt in d[1:-1].replace("ZM", " ").split()]
    return int(max(ys, default=0) + 2)


def render_svg(values: Mapping[str, int], tenant_codes: Iterable[str], unit: str) -> Markup:
    """The municipalities of the tenants' counties, shaded by ``values``."""
    codes = set(tenant_codes)
    counties = tuple(sorted({code[:2] for code in codes}))
    top = max([v for c, v in values.items() if c in codes], default=0)
    shapes = []
    for code, name, path in _features(counties):
        value = values.get(code, 0)
        if code not in codes:
            fill, label = OUTSIDE, f"{name}: inte ansluten"
        else:
            step = 0 if top == 0 else min(len(PALETTE) - 1, int(value / top * len(PALETTE)))
            fill, label = PALETTE[step], f"{name}: {value} {unit}"
        shapes.append(
            f'<path d="{path}" fill="{fill}" stroke="#555" stroke-width="0.6" '
            f'data-code="{code}"><title>{escape(label)}</title></path>'
        )
    height = _height(counties)
    return Markup(
        f'<svg class="region-map" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="map-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="map-title">Karta över regionens '
        f"kommuner: {escape(unit)} per kommun</title>{''.join(shapes)}</svg>"
        + _legend(top, unit)
    )


def _legend(top: int, unit: str) -> str:
    """What each shade means: the value range of each step, and grey for outside."""
    items = []
    for step, colour in enumerate(PALETTE):
        low = math.ceil(top * step / len(PALETTE))
        high = math.ceil(top * (step + 1) / len(PALETTE)) - (step < len(PALETTE) - 1)
        text = f"{low}–{max(low, high)}" if top else "0"
        items.append(f'<li><span style="background:{colour}"></span>{text}</li>')
        if not top:
            break
    items.append(f'<li><span style="background:{OUTSIDE}"></span>inte ansluten</li>')
    return (f'<ul class="legend map-legend" data-testid="map-legend" aria-label="Teckenförklaring:'
            f' {escape(unit)}">{"".join(items)}</ul><p class="count">Håll pekaren över en '
            "kommun för namn och siffra.</p>")
