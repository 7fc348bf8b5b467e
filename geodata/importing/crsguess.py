"""Guessing the coordinate reference system of coordinates that came without one — from the majority.

Only coordinate values are used. Each row is classified by its coordinate ranges (degrees within China,
swapped degrees, CGCS2000 Gauss-Krüger metres with a zone prefix in the easting, metres without it, and
the survey convention X = north / Y = east of either), the CRS is guessed from the class most rows
fall in, and every other row is flagged by number with what is wrong with it: ``"swapped"``
(经纬度颠倒 — the majority's axes swapped), ``"invalid"`` (坐标缺失/无效 — inf, NaN, (0, 0)) or
``"out_of_area"`` (超出研究范围 — another class, or far from the majority's median). So one bad row
no longer defeats the guess.

Gauss-Krüger eastings without a zone prefix fit several central meridians; the candidates are the
CGCS2000 3° zones (EPSG:4545–4550, central meridians 108–123°E; the 6° zones share these meridians)
that place the majority's median inside the study area (default :data:`STUDY_AREA`, Jiangxi). When two
fit, the guess is ambiguous and the caller must ask for the CRS. The importer shows the guess for
confirmation; batch commands never use it for GIS files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
from pyproj import Transformer

from geodata.validate import CHINA_LAT, CHINA_LON

#: study area (lon_min, lat_min, lon_max, lat_max), degrees: Jiangxi with a margin of about 0.3°
STUDY_AREA = (113.2, 24.2, 118.8, 30.4)
#: CGCS2000 3° Gauss-Krüger zones without prefix: central meridian (°E) → EPSG code
GK3_NO_PREFIX = {cm: f"EPSG:{4534 + (cm - 75) // 3}" for cm in range(108, 124, 3)}
#: a row farther than this from the majority's median is out of the study area (degrees, metres)
OUTLIER_DEGREES = 4.0
OUTLIER_METRES = 400_000.0

# row classes (the swapped counterpart of a class is class ^ 1)
_DEG, _DEG_SWAPPED, _GK_PREFIX, _GK_PREFIX_SWAPPED, _METRES, _METRES_SWAPPED = range(6)
_UNKNOWN, _INVALID = 90, 91
_NORTHING = (2_000_000.0, 6_000_000.0)  # latitudes ~18–54°N in metres
_EASTING = (100_000.0, 900_000.0)
_PREFIXED = (13_000_000.0, 46_000_000.0)  # 6° zones 13–23, 3° zones 25–45


@dataclass
class CrsGuess:
    """What the coordinate values say about an unknown CRS.

    Attributes
    ----------
    candidates : list of str
        Likely EPSG codes, best first (empty when nothing fits China).
    kind : str
        The majority's class: ``"degrees"``, ``"degrees_swapped"``, ``"gk_prefix"``, ``"metres"`` or
        ``"none"``.
    axes_swapped : bool
        The majority is in the survey convention (X = northing, Y = easting): swap before using.
    ambiguous : bool
        More than one candidate fits (Gauss-Krüger without zone prefix): ask for the CRS.
    bad_rows : dict of int to str
        Positional row → ``"swapped"``, ``"out_of_area"`` or ``"invalid"``.
    """

    candidates: list[str] = field(default_factory=list)
    kind: str = "none"
    axes_swapped: bool = False
    ambiguous: bool = False
    bad_rows: dict[int, str] = field(default_factory=dict)


def _within(v: np.ndarray, lo_hi: tuple[float, float]) -> np.ndarray:
    return (v >= lo_hi[0]) & (v <= lo_hi[1])


def row_xy(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each row's centre (of its bounds) and whether it has a geometry at all.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The rows.

    Returns
    -------
    tuple of numpy.ndarray
        x, y (NaN for missing or empty geometries) and a boolean mask of rows with a geometry.
    """
    geom = gdf.geometry
    present = ~(geom.isna() | geom.is_empty).to_numpy()
    b = geom.bounds.to_numpy(dtype=float) if len(geom) else np.empty((0, 4))
    with np.errstate(invalid="ignore"):
        x = (b[:, 0] + b[:, 2]) / 2
        y = (b[:, 1] + b[:, 3]) / 2
    return x, y, present


def classify(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Classify coordinates by their ranges (vectorised).

    Parameters
    ----------
    x, y : numpy.ndarray
        Coordinates in unknown units.

    Returns
    -------
    numpy.ndarray of int
        One class per row (degrees, swapped degrees, prefixed / unprefixed Gauss-Krüger metres, their
        survey-convention swaps, unknown or invalid — inf, NaN or (0, 0)).
    """
    cls = np.full(len(x), _UNKNOWN, dtype=np.int16)
    with np.errstate(invalid="ignore"):
        invalid = ~np.isfinite(x) | ~np.isfinite(y) | ((x == 0) & (y == 0))
        tests = (
            (_DEG, _within(x, CHINA_LON) & _within(y, CHINA_LAT)),
            (_DEG_SWAPPED, _within(x, CHINA_LAT) & _within(y, CHINA_LON)),
            (_GK_PREFIX, _within(x, _PREFIXED) & _within(y, _NORTHING)),
            (_GK_PREFIX_SWAPPED, _within(x, _NORTHING) & _within(y, _PREFIXED)),
            (_METRES, _within(x, _EASTING) & _within(y, _NORTHING)),
            (_METRES_SWAPPED, _within(x, _NORTHING) & _within(y, _EASTING)),
        )
    for code, mask in reversed(tests):
        cls[mask] = code
    cls[invalid] = _INVALID
    return cls


def _gk_prefix_code(x_median: float) -> str | None:
    zone = int(x_median // 1_000_000)
    if 25 <= zone <= 45:
        return f"EPSG:{4513 + zone - 25}"  # CGCS2000 3° GK zone 25 (75°E) … 45 (135°E), with prefix
    if 13 <= zone <= 23:
        return f"EPSG:{4491 + zone - 13}"  # CGCS2000 6° GK zone 13 (75°E) … 23 (135°E), with prefix
    return None


def gk_zones_fitting(
    easting: float, northing: float, area: tuple[float, float, float, float] = STUDY_AREA
) -> list[str]:
    """List the unprefixed 3° Gauss-Krüger zones that place a point inside the study area.

    Parameters
    ----------
    easting, northing : float
        The point, metres (easting without zone prefix, false easting 500 km).
    area : tuple of float, default :data:`STUDY_AREA`
        (lon_min, lat_min, lon_max, lat_max) in degrees.

    Returns
    -------
    list of str
        EPSG codes of :data:`GK3_NO_PREFIX` whose longitude/latitude of the point lies in ``area``.
    """
    fits = []
    for code in GK3_NO_PREFIX.values():
        lon, lat = Transformer.from_crs(code, "EPSG:4490", always_xy=True).transform(easting, northing)
        if area[0] <= lon <= area[2] and area[1] <= lat <= area[3]:
            fits.append(code)
    return fits


def guess_crs(gdf: gpd.GeoDataFrame, area: tuple[float, float, float, float] = STUDY_AREA) -> CrsGuess:
    """Guess the CRS from the majority of rows and flag the rows that do not fit it.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometries with coordinates in unknown units (the CRS is ignored).
    area : tuple of float, default :data:`STUDY_AREA`
        Study area (lon_min, lat_min, lon_max, lat_max), degrees, used to pick Gauss-Krüger zones.

    Returns
    -------
    CrsGuess
        Candidates (``["EPSG:4326", "EPSG:4490"]`` for degrees, ``["EPSG:4326"]`` for swapped degrees —
        validation then says "swapped" —, the zone of prefixed eastings, the fitting unprefixed zones),
        whether the axes are in the survey convention, whether the guess is ambiguous, and the bad rows.
    """
    x, y, present = row_xy(gdf)
    cls = classify(x, y)
    valid = present & (cls < _UNKNOWN)
    if not valid.any():
        return CrsGuess(bad_rows={int(i): "invalid" for i in np.flatnonzero(present & (cls == _INVALID))})
    counts = np.bincount(cls[valid], minlength=6)
    major = int(np.argmax(counts))
    axes_swapped = major in (_GK_PREFIX_SWAPPED, _METRES_SWAPPED)
    mx, my = (y, x) if axes_swapped else (x, y)
    inlier = present & (cls == major)
    med_x, med_y = float(np.median(mx[inlier])), float(np.median(my[inlier]))
    limit = OUTLIER_DEGREES if major in (_DEG, _DEG_SWAPPED) else OUTLIER_METRES
    if major in (_GK_PREFIX, _GK_PREFIX_SWAPPED):  # compare eastings within the zone
        far = (np.abs(mx % 1_000_000 - med_x % 1_000_000) > limit) | (mx // 1_000_000 != med_x // 1_000_000)
        far |= np.abs(my - med_y) > limit
    else:
        far = (np.abs(mx - med_x) > limit) | (np.abs(my - med_y) > limit)
    far &= inlier
    inlier &= ~far
    bad: dict[int, str] = {}
    for i in np.flatnonzero(present & (cls == _INVALID)):
        bad[int(i)] = "invalid"
    for i in np.flatnonzero(present & (cls == (major ^ 1))):
        bad[int(i)] = "swapped"
    for i in np.flatnonzero(present & ~inlier & (cls != _INVALID) & (cls != (major ^ 1))):
        bad[int(i)] = "out_of_area"
    med_x, med_y = float(np.median(mx[inlier])), float(np.median(my[inlier]))
    guess = CrsGuess(axes_swapped=axes_swapped, bad_rows=dict(sorted(bad.items())))
    if major == _DEG:
        guess.kind, guess.candidates = "degrees", ["EPSG:4326", "EPSG:4490"]
    elif major == _DEG_SWAPPED:
        guess.kind, guess.candidates = "degrees_swapped", ["EPSG:4326"]
    elif major in (_GK_PREFIX, _GK_PREFIX_SWAPPED):
        code = _gk_prefix_code(med_x)
        guess.kind, guess.candidates = "gk_prefix", [code] if code else []
    else:
        guess.kind = "metres"
        guess.candidates = gk_zones_fitting(med_x, med_y, area)
        guess.ambiguous = len(guess.candidates) > 1
    return guess


def infer_crs(gdf: gpd.GeoDataFrame) -> list[str]:
    """List the likely CRSs of coordinates without a CRS, best first (see :func:`guess_crs`).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometries with coordinates in unknown units (the CRS is ignored).

    Returns
    -------
    list of str
        EPSG codes: ``["EPSG:4326", "EPSG:4490"]`` for degrees in China; ``["EPSG:4326"]`` for swapped
        degrees; ``["EPSG:45xx"]`` for a CGCS2000 Gauss-Krüger zone read from the easting prefix (e.g.
        39xxxxxx → EPSG:4527, central meridian 117°E); the unprefixed 3° zones that place the points in
        the study area. Empty when nothing fits.
    """
    return guess_crs(gdf).candidates
