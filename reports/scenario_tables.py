"""The scenario difference as tables and an XLSX workbook (formula-safe), for the 方案比选 page and the CLI.

Headers come from the labels table in the chosen language; residents are rounded to whole people. Text
(scenario, district and community names) goes through :func:`geodata.spreadsheet.formula_safe` in
:func:`reports.tables.xlsx_bytes`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from i18n import t
from i18n.labels import t_or
from layers.scenarios import NEITHER, STATUS_NAMES, Comparison
from reports.tables import xlsx_bytes

_COUNT_COLS = ("population", "a_served", "b_served", "delta", "newly_served", "newly_unserved")
_TARGET_COLS = ("target_population", "a_target", "b_target", "target_delta")


def group_label(column: str, L: str) -> str:
    """The residents counted (an age group or all residents) as a phrase, e.g. "3–6 岁儿童"."""
    return t_or(f"scen.group.{column}", column, L)


def _headers(cmp: Comparison, L: str) -> dict[str, str]:
    group = group_label(cmp.target_column, L)
    heads = {c: t(f"scen.col.{c}", L) for c in _COUNT_COLS}
    if cmp.target_column != "population":
        heads |= {c: t(f"scen.col.{c}", L, group=group) for c in _TARGET_COLS}
    return heads


def district_table(cmp: Comparison, names: pd.Series, L: str) -> pd.DataFrame:
    """Residents served in A and B per district, with a total row.

    Parameters
    ----------
    cmp : layers.scenarios.Comparison
        The comparison.
    names : pandas.Series
        District name indexed by ``district_adcode`` (the language of ``L``).
    L : str
        "zh" or "en".

    Returns
    -------
    pandas.DataFrame
        One row per district (name) and a total row; translated headers; whole residents.
    """
    heads = _headers(cmp, L)
    df = cmp.by_district[[c for c in heads if c in cmp.by_district]].copy()
    df.loc["__total__"] = pd.Series(cmp.totals)
    label = [t("scen.total", L) if k == "__total__" else str(names.get(k, k)) for k in df.index]
    out = df.round(0).astype(np.int64).rename(columns=heads)
    out.insert(0, t("scen.col.district", L), label)
    return out.reset_index(drop=True)


def community_table(cmp: Comparison, names: pd.Series, L: str) -> pd.DataFrame:
    """Residents served in A and B per community with any change or any resident (largest change first)."""
    heads = _headers(cmp, L)
    df = cmp.by_community[[c for c in heads if c in cmp.by_community]].copy()
    df = df.reindex(df["delta"].abs().sort_values(ascending=False, kind="stable").index)
    out = df.round(0).astype(np.int64).rename(columns=heads)
    out.insert(0, t("scen.col.community", L), [str(names.get(k, k)) for k in df.index])
    return out.reset_index(drop=True)


def cell_table(cmp: Comparison, cells: pd.DataFrame, L: str) -> pd.DataFrame:
    """The resident points newly served or newly unserved in B (cell id, community, district, residents)."""
    changed = np.flatnonzero((cmp.status != NEITHER) & (cmp.status != 1))
    sub = cells.iloc[changed]
    out = pd.DataFrame(
        {
            t("scen.col.cell", L): sub["cell_id"].astype(str).to_numpy() if "cell_id" in sub else changed,
            t("scen.col.community", L): sub.get("community_id", pd.Series([""] * len(sub)))
            .astype(str)
            .to_numpy(),
            t("scen.col.district", L): sub.get("district_adcode", pd.Series([""] * len(sub)))
            .astype(str)
            .to_numpy(),
            t("scen.col.status", L): [
                t(f"scen.status.{STATUS_NAMES[int(s)]}", L) for s in cmp.status[changed]
            ],
            t("scen.col.population", L): np.round(sub["population"].to_numpy(float)).astype(np.int64),
        }
    )
    return out


def difference_xlsx(
    cmp: Comparison,
    *,
    a_name: str,
    b_name: str,
    what: str,
    district_names: pd.Series,
    community_names: pd.Series,
    cells: pd.DataFrame,
    L: str = "zh",
) -> bytes:
    """The difference workbook: summary, districts, communities and changed resident cells.

    Parameters
    ----------
    cmp : layers.scenarios.Comparison
        The comparison of B against A.
    a_name, b_name : str
        Display names of A and B (user text: written formula-safe).
    what : str
        What was compared (a facility type's or a life circle's display name).
    district_names, community_names : pandas.Series
        Names indexed by ``district_adcode`` / ``community_id``.
    cells : pandas.DataFrame
        The resident points in model order (``cell_id``, ``community_id``, ``district_adcode``,
        ``population``).
    L : str
        "zh" or "en".

    Returns
    -------
    bytes
        The XLSX file.
    """
    tot = cmp.totals
    items = [
        (t("scen.a", L), a_name),
        (t("scen.b", L), b_name),
        (t("scen.what", L), what),
        (t("scen.col.a_served", L), int(round(tot["a_served"]))),
        (t("scen.col.b_served", L), int(round(tot["b_served"]))),
        (t("scen.col.delta", L), int(round(tot["b_served"])) - int(round(tot["a_served"]))),
        (t("scen.col.newly_served", L), int(round(tot["newly_served"]))),
        (t("scen.col.newly_unserved", L), int(round(tot["newly_unserved"]))),
    ]
    group = group_label(cmp.target_column, L)
    items.append((t("scen.counted", L), f"{group} ({cmp.target_column})"))
    if cmp.target_column != "population":
        items.append((t("scen.col.target_delta", L, group=group), int(round(tot["target_delta"]))))
    summary = pd.DataFrame(
        {t("scen.col.item", L): [k for k, _ in items], t("scen.col.value", L): [str(v) for _, v in items]}
    )
    return xlsx_bytes(
        {
            t("scen.sheet.summary", L): summary,
            t("scen.sheet.districts", L): district_table(cmp, district_names, L),
            t("scen.sheet.communities", L): community_table(cmp, community_names, L),
            t("scen.sheet.cells", L): cell_table(cmp, cells, L),
        }
    )
