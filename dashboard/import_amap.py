"""AMap / Baidu POI exports on the 数据导入 page: the recognition message, the typecode mapping with unmapped
counts, and the small editable typecode table (saved as the user's copy). Called by dashboard/import_page.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, common
from geodata.importing.amap import PoiRead, assign_types, load_typecodes, read_poi, save_typecodes
from geodata.importing.amap import user_typecodes_path as _user_path
from geodata.importing.safety import max_upload_bytes
from i18n import t


@st.cache_data(show_spinner=False, max_entries=4)
def read(path: str, source: str) -> PoiRead | None:
    """The upload read as a POI export, or None when it is not one (cached on the stored upload)."""
    return read_poi(path, source=source, max_bytes=max_upload_bytes())


def recognised(poi: PoiRead, datum: str, L: str) -> None:
    """Say what the file was recognised as and which datum conversion was made."""
    if datum == poi.datum:
        st.success(t(f"amap.recognised.{poi.provider}", L, n=f"{poi.rows:,}"), icon=":material/my_location:")
    else:
        st.warning(
            t(
                "amap.not_converted",
                L,
                provider=t(f"amap.provider.{poi.provider}", L),
                n=f"{poi.rows:,}",
                d=poi.datum.upper().replace("GCJ02", "GCJ-02").replace("BD09", "BD-09"),
            )
        )
    notes = []
    if poi.duplicate_ids:
        notes.append(t("amap.duplicates", L, n=poi.duplicate_ids))
    if poi.bad_location:
        notes.append(t("amap.bad_location", L, n=poi.bad_location))
    if notes:
        st.caption(" ".join(notes))


def typed(gdf, poi: PoiRead, L: str):
    """Type the POIs from the typecode table; show counts per type, the unmapped codes and the table editor.

    Returns
    -------
    geopandas.GeoDataFrame
        ``gdf`` with ``type`` (catalogue key, None when unmapped) and the provider's own type as ``poi_type``.
    """
    cat = common.catalogue()
    codes, rules = load_typecodes(cat)
    out, counts = assign_types(gdf, poi.provider, cat, codes=codes, rules=rules)
    st.subheader(t("amap.types", L))
    st.caption(t("amap.types_caption", L, mapped=f"{sum(counts.mapped.values()):,}", by_name=counts.by_name))
    left, right = st.columns(2)
    with left:
        mapped = pd.DataFrame(
            {
                t("amap.col.type", L): [cat.types[k].name(L) for k in counts.mapped],
                t("amap.col.count", L): list(counts.mapped.values()),
            }
        )
        st.dataframe(mapped, hide_index=True, width="stretch")
    with right:
        n_unmapped = int(counts.unmapped["count"].sum()) if len(counts.unmapped) else 0
        if n_unmapped:
            st.warning(t("amap.unmapped", L, n=f"{n_unmapped:,}"))
            st.dataframe(
                counts.unmapped.rename(
                    columns={
                        "code": t("amap.col.code", L),
                        "name": t("amap.col.name", L),
                        "count": t("amap.col.count", L),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        else:
            st.success(t("amap.all_mapped", L))
    if poi.provider == "amap":
        _editor(codes, counts.unmapped, cat, L)
    return out


def _editor(codes: pd.DataFrame, unmapped: pd.DataFrame, cat, L: str) -> None:
    """The typecode table, this file's unmapped codes appended, editable by editors and saved as their copy."""
    with st.expander(t("amap.table", L)):
        st.caption(t("amap.table_caption", L, path=common.md_escape(str(_user_path()))))
        label = {k: v.name(L) for k, v in cat.types.items()}
        none = t("amap.none", L)
        extra = unmapped[unmapped["code"].str.fullmatch(r"\d{6}") & ~unmapped["code"].isin(codes.index)]
        note = "note" if L == "zh" else "note_en"  # the other language's note is kept as it was
        other = "note_en" if L == "zh" else "note"
        rows = pd.concat(
            [
                codes[["code", "name", "type", "verified", note]].rename(columns={note: "note"}),
                pd.DataFrame(
                    {"code": extra["code"], "name": extra["name"], "type": "", "verified": False, "note": ""}
                ),
            ],
            ignore_index=True,
        )
        shown = rows.assign(type=rows["type"].map(lambda k: label.get(k, none)))
        c = {k: t(f"amap.col.{k}", L) for k in ("code", "name", "type", "verified", "note")}
        edited = st.data_editor(
            shown.rename(columns=c),
            hide_index=True,
            width="stretch",
            height=320,
            disabled=[c["code"], c["verified"]] if auth.can_edit() else True,
            column_config={
                c["type"]: st.column_config.SelectboxColumn(options=[none, *label.values()], required=True),
            },
            key="amap_codes",
        )
        if auth.can_edit() and st.button(t("amap.save", L), key="amap_save"):
            back = {v: k for k, v in label.items()} | {none: ""}
            table = edited.rename(columns={v: k for k, v in c.items()})
            table["type"] = table["type"].map(lambda v: back.get(v, ""))
            table = table.rename(columns={"note": note})
            table[other] = table["code"].map(codes[other]).fillna("")
            save_typecodes(table, editor=common.editor())
            st.session_state["amap_saved"] = len(table)
            st.rerun()  # the mapping above is recomputed with the saved table
        if st.session_state.get("amap_saved"):
            st.success(t("amap.saved", L, n=st.session_state.pop("amap_saved")))
