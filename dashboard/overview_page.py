"""总览 Overview page: province → prefectures → counties → demo city, on the offline basemap."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography import maps
from dashboard import common, first_view, mapcache
from i18n import t
from layers.crs import area_km2

EXTENTS = ("province", "city")


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_map(lang: str, basemap: str, tianditu_key: str, ws_path: str) -> dict:
    """The overview map rendered once per language, basemap and workspace (see dashboard/mapcache); built
    fitted to the province, the extent chosen is applied in the browser (:func:`mapcache.fit_view`). The
    first view may have been built as the server started (:mod:`dashboard.first_view`)."""
    args = (lang, basemap, tianditu_key, ws_path)
    fmap = first_view.take(args) or first_view.build(*args)
    return mapcache.rendered(fmap, fresh=True)


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
    extent = common.kept(
        st.radio,
        t("overview.extent", L),
        EXTENTS,
        by_language=True,
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
    # rendered once per language and basemap and cached (no deep copy or re-render per rerun); one component
    # instance per language and basemap (streamlit-folium cannot swap a different map into a live one); the
    # extent is a fit of the same map in the browser (no new map sent, nothing reloaded)
    mapcache.show(
        _cached_map(L, opts["basemap"], opts["tianditu_key"], str(ws.path)),
        key=f"overview_map_{L}_{opts['basemap']}",
        height=640,
        returned_objects=[],
        view=mapcache.fit_view(maps.overview_bounds(bnd, ws, extent=extent, basemap=opts["basemap"])),
    )
    st.caption(
        t("overview.caption", L) + " " + t("overview.area", L, area=float(area_km2(bnd.province).sum()))
    )
    st.subheader(t("overview.city_table", L))
    # a static table (six districts): the interactive grid's scripts would load while the first map draws
    table = district_table(ws, L)
    name = table.columns[0]
    # st.table renders cells as markdown, and district names can be imported
    table[name] = table[name].map(common.md_escape)
    counts = {c: "{:,}" for c in table.select_dtypes("integer").columns}
    st.table(table.style.format({t("col.area_km2", L): "{:,.1f}", **counts}), hide_index=True)
