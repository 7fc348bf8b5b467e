"""总览 Overview page: province → prefectures → counties → demo city, on the offline basemap."""

from __future__ import annotations

import copy

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import common
from dashboard.labels import t
from geodata.chinacoords import shift_geometries
from layers import mapkit
from layers.crs import area_km2
from layers.overview import (
    BUILD_YEAR_CLASSES,
    PARCEL_TYPE_COLOURS,
    boundary_layer,
    compounds_layer,
    facilities_layer,
    parcels_layer,
)

EXTENTS = ("province", "city")


def _for_basemap(gdf, basemap: str):
    """Shift WGS84 data to GCJ-02 when drawn over AMap tiles (display only)."""
    if not mapkit.basemap_needs_gcj02(basemap):
        return gdf
    shifted = gdf.to_crs("EPSG:4326")
    return shifted.set_geometry(shift_geometries(shifted.geometry.values), crs="EPSG:4326")


def overview_map(bnd, ws, catalogue, *, lang: str, extent: str, basemap: str, tianditu_key: str = ""):
    """Assemble the overview folium map (no Streamlit calls; cached by the page)."""
    shift = lambda g: _for_basemap(g, basemap)  # noqa: E731
    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key or None)
    boundary_layer(
        shift(bnd.prefectures),
        name=t("layer.prefectures", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#6a51a3",
        weight=1.6,
        fill_opacity=0.04,
        simplify_m=300,
        tooltip_alias=t("layer.prefectures", lang),
    ).add_to(m)
    boundary_layer(
        shift(bnd.counties),
        name=t("layer.counties", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#969696",
        weight=0.7,
        simplify_m=300,
        dash="3 3",
        tooltip_alias=t("layer.counties", lang),
    ).add_to(m)
    boundary_layer(
        shift(bnd.province),
        name=t("layer.province", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#252525",
        weight=3,
        simplify_m=300,
        tooltip_alias=t("layer.province", lang),
    ).add_to(m)
    boundary_layer(
        shift(ws["districts"]),
        name=t("layer.districts", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#08519c",
        weight=2.2,
        fill_opacity=0.03,
        simplify_m=50,
        tooltip_alias=t("col.district", lang),
    ).add_to(m)
    compounds_layer(
        shift(ws["compounds"]),
        name=t("layer.compounds", lang),
        aliases=(t("col.name", lang), t("col.build_year", lang), t("col.population", lang)),
    ).add_to(m)
    type_labels = {k: t(f"ptype.{k}", lang) for k in PARCEL_TYPE_COLOURS}
    parcels_layer(
        shift(ws["parcels"]),
        name=t("layer.parcels", lang),
        type_labels=type_labels,
        aliases=(t("col.name", lang), t("col.type", lang), t("col.status", lang)),
        show=False,
    ).add_to(m)
    names = {k: (ft.name_zh if lang == "zh" else ft.name_en) for k, ft in catalogue.types.items()}
    facilities_layer(
        shift(ws["facilities"]), name=t("layer.facilities", lang), type_names=names, show=False
    ).add_to(m)
    items = [(c, t(key, lang)) for _, c, key in BUILD_YEAR_CLASSES]
    items += [(c, type_labels[k]) for k, c in PARCEL_TYPE_COLOURS.items()]
    items += [
        ("#6a51a3", t("legend.prefecture", lang)),
        ("#969696", t("legend.county", lang)),
        ("#2b8cbe", t("legend.facility", lang)),
    ]
    mapkit.legend_html(t("legend.title", lang), items).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    bounds_src = bnd.province if extent == "province" else ws["compounds"]
    minx, miny, maxx, maxy = shift(bounds_src).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_map(lang: str, extent: str, basemap: str, tianditu_key: str, ws_path: str):
    return overview_map(
        common.boundaries(),
        common.workspace(ws_path),
        common.catalogue(),
        lang=lang,
        extent=extent,
        basemap=basemap,
        tianditu_key=tianditu_key,
    )


def district_table(ws, lang: str) -> pd.DataFrame:
    """Per-district counts of the demo city (compounds, population, facilities, parcels, area)."""
    d = ws["districts"]
    name = d["name_zh"] if lang == "zh" else d["name_en"]
    counts = {
        "col.compounds": ws["compounds"].groupby("district_adcode").size(),
        "col.population": ws["population_cells"].groupby("district_adcode")["population"].sum().round(),
        "col.facilities": ws["facilities"].groupby("district_adcode").size(),
        "col.parcels": ws["parcels"].groupby("district_adcode").size(),
    }
    table = pd.DataFrame(
        {t("col.district", lang): name.to_numpy(), t("col.area_km2", lang): area_km2(d).round(1).to_numpy()}
    )
    for key, series in counts.items():
        table[t(key, lang)] = d["adcode"].map(series).fillna(0).astype(int).to_numpy()
    return table


def render_overview() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("app.title", L))
    st.caption(t("app.subtitle", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    bnd, ws = loaded
    common.demo_badge(ws)
    st.subheader(t("overview.title", L))
    extent = st.radio(
        t("overview.extent", L),
        EXTENTS,
        horizontal=True,
        key="overview_extent",
        format_func=lambda v: t(f"extent.{v}", L),
    )
    cols = st.columns(6)
    pop = float(ws["population_cells"]["population"].sum())
    metrics = [
        ("overview.metric.prefectures", f"{len(bnd.prefectures)}"),
        ("overview.metric.counties", f"{len(bnd.counties)}"),
        ("overview.metric.compounds", f"{len(ws['compounds']):,}"),
        ("overview.metric.population", f"{pop / 1e4:,.1f}"),
        ("overview.metric.facilities", f"{len(ws['facilities']):,}"),
        ("overview.metric.parcels", f"{len(ws['parcels']):,}"),
    ]
    for col, (key, value) in zip(cols, metrics):
        col.metric(t(key, L), value)
    # st_folium renames element ids in place and leaves stale scripts in the figure: never hand it the
    # cached object itself, only a copy (0.15 s vs 0.4 s to rebuild)
    fmap = copy.deepcopy(_cached_map(L, extent, opts["basemap"], opts["tianditu_key"], str(ws.path)))
    # one component instance per map variant: streamlit-folium cannot swap a different map into a live one
    st_folium(
        fmap,
        key=f"overview_map_{extent}_{L}_{opts['basemap']}",
        height=640,
        use_container_width=True,
        returned_objects=[],
    )
    st.caption(
        t("overview.caption", L) + " " + t("overview.area", L, area=float(area_km2(bnd.province).sum()))
    )
    st.subheader(t("overview.city_table", L))
    st.dataframe(district_table(ws, L), hide_index=True, width="stretch")
