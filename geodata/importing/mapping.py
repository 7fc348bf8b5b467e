"""Field and category mapping, and the category mappings a user saved before.

Which of the user's columns holds each target field, and which catalogue type each of the user's
category names means.

Saved mappings live in ``<data dir>/category_mapping.json`` (written with
:func:`geodata.atomic.atomic_write`, merged under its lock so concurrent saves lose nothing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from geodata.atomic import atomic_write, locked
from geodata.paths import data_dir
from geodata.schema import LayerSchema

#: import targets → workspace layer names
TARGETS = {"facilities": "facilities", "neighbourhoods": "compounds", "parcels": "parcels"}
#: facility category names met in bureau lists → catalogue type keys
CATEGORY_SYNONYMS = {
    "幼儿园": "kindergarten",
    "小学": "primary_school",
    "中学": "middle_school",
    "初中": "middle_school",
    "高中": "middle_school",
    "托育": "nursery",
    "托儿所": "nursery",
    "卫生服务中心": "health_center",
    "卫生服务站": "health_station",
    "卫生室": "health_station",
    "诊所": "health_station",
    "养老院": "elderly_home",
    "敬老院": "elderly_home",
    "日间照料": "elderly_daycare",
    "养老服务站": "elderly_daycare",
    "文化": "culture_center",
    "体育": "sports_field",
    "健身": "sports_field",
    "口袋公园": "pocket_park",
    "游园": "pocket_park",
    "公园": "park",
    "菜市场": "market",
    "农贸市场": "market",
    "生鲜": "market",
    "超市": "market",
    "便利店": "convenience",
    "社区服务": "community_service",
    "党群服务": "community_service",
    "公交": "bus_stop",
    "地铁": "metro_station",
    "停车": "parking",
    "充电": "ev_charging",
}
#: column names (Chinese and English) that usually hold a target field
FIELD_HINTS = {
    "name": ("name", "名称", "小区名称", "设施名称", "地块名称", "项目名称"),
    "type": ("type", "类别", "类型", "设施类型", "分类"),
    "population": ("population", "人口", "常住人口", "居住人口", "pop"),
    "households": ("households", "户数", "住户"),
    "build_year": ("build_year", "建成年份", "建成年代", "年份", "建设年代"),
    "parcel_type": ("parcel_type", "地块类型", "类型"),
    # 一老一小 age groups (七普 tables, cell attributes); optional columns of compounds and cells
    "children_0_3": ("0-3岁", "0～3岁", "0~3岁", "0-2岁", "0—3岁", "婴幼儿", "children_0_3"),
    "children_3_6": ("3-6岁", "3～6岁", "3~6岁", "3-5岁", "3—6岁", "学龄前儿童", "children_3_6"),
    "children_6_12": ("6-12岁", "6～12岁", "6~12岁", "6-11岁", "6—12岁", "小学适龄儿童", "children_6_12"),
    "elderly_60": ("60岁及以上", "60岁以上", "60+", "60岁+", "老年人口", "elderly_60"),
    "elderly_80": ("80岁及以上", "80岁以上", "80+", "80岁+", "高龄老人", "elderly_80"),
}


def suggest_mapping(columns, schema: LayerSchema) -> dict[str, str | None]:
    """Suggest, for each column of the target layer, the user's column that probably holds it.

    Parameters
    ----------
    columns : iterable
        The user's column names.
    schema : LayerSchema
        The target layer's schema.

    Returns
    -------
    dict
        Target column (required, then optional such as the age groups) → the user's column (exact name
        match first, then :data:`FIELD_HINTS`, case-insensitive), or None.
    """
    lower = {str(c).strip().lower(): c for c in columns}
    out = {}
    for col in (*schema.columns, *schema.optional):
        out[col] = next(
            (lower[h.lower()] for h in (col, *FIELD_HINTS.get(col, ())) if h.lower() in lower), None
        )
    return out


def map_categories(values, catalogue) -> dict[str, str | None]:
    """Map the user's category names to catalogue type keys.

    Parameters
    ----------
    values : iterable
        The user's category values (compared as text).
    catalogue : Catalogue
        The facility catalogue.

    Returns
    -------
    dict
        Each distinct value → its type key (exact key, Chinese name, or the longest known synonym it
        contains, :data:`CATEGORY_SYNONYMS`), or None when unknown.
    """
    by_name = {t.name_zh: k for k, t in catalogue.types.items()}
    out = {}
    for v in pd.unique(pd.Series(list(values)).astype(str)):
        key = v if v in catalogue.types else by_name.get(v)
        if key is None:
            key = next(
                (k for word, k in sorted(CATEGORY_SYNONYMS.items(), key=lambda kv: -len(kv[0])) if word in v),
                None,
            )
        out[v] = key
    return out


def mapping_path() -> Path:
    """Return where saved category mappings live.

    Returns
    -------
    Path
        ``<data dir>/category_mapping.json``.
    """
    return data_dir() / "category_mapping.json"


def load_saved_mapping() -> dict[str, str]:
    """Load the category mappings saved by earlier imports.

    Returns
    -------
    dict
        User category name → type key; empty when none were saved or the file is unreadable.
    """
    try:
        return json.loads(mapping_path().read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def save_mapping(mapping: dict[str, str]) -> None:
    """Merge category mappings into the saved ones (atomically, under the file's lock).

    Parameters
    ----------
    mapping : dict
        User category name → type key; entries without a key are not saved.
    """
    path = mapping_path()
    with locked(path):
        merged = load_saved_mapping() | {k: v for k, v in mapping.items() if v}
        atomic_write(path, json.dumps(merged, ensure_ascii=False, indent=1))
