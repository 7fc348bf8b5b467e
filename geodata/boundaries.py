"""Administrative boundaries of Jiangxi (province, prefectures, counties), validated on load.

Replaceable by the user's own (e.g. official 天地图 boundaries): put the three GeoJSON files with the same
names and columns in a folder and set ``RENEWAL_BOUNDARIES_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio

from geodata.errors import DataValidationError, Problem
from geodata.paths import BOUNDARIES_DIR
from geodata.schema import POLYGONAL, LayerSchema
from geodata.validate import validate_layer

FILES = {
    "province": "jiangxi_province.geojson",
    "prefectures": "jiangxi_prefectures.geojson",
    "counties": "jiangxi_counties.geojson",
}
SCHEMAS = {
    "province": LayerSchema(
        "province", POLYGONAL, {"adcode": "int", "name_zh": "str", "name_en": "str"}, key="adcode"
    ),
    "prefectures": LayerSchema(
        "prefectures", POLYGONAL, {"adcode": "int", "name_zh": "str", "name_en": "str"}, key="adcode"
    ),
    "counties": LayerSchema(
        "counties",
        POLYGONAL,
        {"adcode": "int", "name_zh": "str", "name_en": "str", "prefecture_adcode": "int"},
        key="adcode",
    ),
}


@dataclass(frozen=True)
class Boundaries:
    """Province, prefectures and counties in EPSG:4326."""

    province: gpd.GeoDataFrame
    prefectures: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    directory: Path

    def prefecture_name(self, adcode: int, lang: str = "zh") -> str:
        """Return the name of a prefecture.

        Parameters
        ----------
        adcode : int
            The prefecture's 6-digit administrative code.
        lang : str, default "zh"
            ``"zh"`` or ``"en"``.

        Returns
        -------
        str
            The name, or the adcode as text when unknown.
        """
        row = self.prefectures[self.prefectures["adcode"] == int(adcode)]
        if row.empty:
            return str(adcode)
        return str(row.iloc[0]["name_en" if lang == "en" else "name_zh"])

    def county_name(self, adcode: int, lang: str = "zh") -> str:
        """Return the name of a county.

        Parameters
        ----------
        adcode : int
            The county's 6-digit administrative code.
        lang : str, default "zh"
            ``"zh"`` or ``"en"``.

        Returns
        -------
        str
            The name, or the adcode as text when unknown.
        """
        row = self.counties[self.counties["adcode"] == int(adcode)]
        if row.empty:
            return str(adcode)
        return str(row.iloc[0]["name_en" if lang == "en" else "name_zh"])


def boundaries_dir() -> Path:
    """Return the folder of the boundary files.

    Returns
    -------
    Path
        ``RENEWAL_BOUNDARIES_DIR``, else the bundled ``geodata/boundaries``.
    """
    return Path(os.environ.get("RENEWAL_BOUNDARIES_DIR", BOUNDARIES_DIR))


def load_boundaries(directory: str | Path | None = None) -> Boundaries:
    """Read and validate the three boundary files (province, prefectures, counties).

    Parameters
    ----------
    directory : str or Path, optional
        Folder holding the files of :data:`FILES`; default :func:`boundaries_dir`.

    Returns
    -------
    Boundaries
        The three layers reprojected to EPSG:4326, adcodes as int64.

    Raises
    ------
    DataValidationError
        Listing every problem of every file (missing file, columns, geometry, CRS, unknown
        prefecture of a county).
    """
    directory = Path(directory) if directory is not None else boundaries_dir()
    problems: list[Problem] = []
    layers: dict[str, gpd.GeoDataFrame] = {}
    for key, fname in FILES.items():
        path = directory / fname
        if not path.exists():
            problems.append(
                Problem(
                    fname,
                    None,
                    None,
                    "file not found",
                    f"put {fname} into {directory} (see geodata/README.md)",
                )
            )
            continue
        try:
            gdf = pyogrio.read_dataframe(path)
        except Exception as exc:  # noqa: BLE001 - GDAL raises several types for unreadable files
            problems.append(Problem(fname, None, None, f"cannot be read ({exc})", "is it valid GeoJSON?"))
            continue
        found = validate_layer(gdf, SCHEMAS[key], layer=fname)
        problems += found
        if not found:
            gdf = gdf.to_crs("EPSG:4326")
            for col in ("adcode", "prefecture_adcode"):
                if col in gdf:
                    gdf[col] = gdf[col].astype("int64")
            layers[key] = gdf
    if "prefectures" in layers and "counties" in layers:
        known = set(layers["prefectures"]["adcode"])
        for i, code in enumerate(layers["counties"]["prefecture_adcode"]):
            if code not in known:
                problems.append(
                    Problem(
                        FILES["counties"],
                        i,
                        "prefecture_adcode",
                        f"prefecture {code} is not in {FILES['prefectures']}",
                        "use the 6-digit adcode of an existing prefecture",
                    )
                )
    if problems:
        raise DataValidationError(problems, source=str(directory))
    return Boundaries(layers["province"], layers["prefectures"], layers["counties"], directory)
