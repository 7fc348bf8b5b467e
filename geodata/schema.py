"""Schema of the workspace layers: required columns, their kinds and geometry types.

Kinds: ``int``, ``float``, ``str``, ``bool``. Loaders validate against this table and report every
problem (see :mod:`geodata.validate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
POINT = ("Point",)


@dataclass(frozen=True)
class LayerSchema:
    """What a workspace layer must hold.

    Attributes
    ----------
    name : str
        Layer name in the GeoPackage.
    geometry : tuple of str
        Allowed geometry types (e.g. :data:`POLYGONAL`).
    columns : dict
        Required column → kind (``int``, ``float``, ``str``, ``bool``).
    choices : dict
        Column → allowed values, for categorical columns.
    ranges : dict
        Column → inclusive (min, max), None = open; units as in the column name (``area_m2`` in m²).
    key : str or None
        Column whose values must be unique.
    required : bool
        Whether a workspace must have the layer.
    optional : dict
        Column → kind of columns a layer may hold (validated when present, e.g. :data:`AGE_GROUPS`).
    """

    name: str
    geometry: tuple[str, ...]
    columns: dict[str, str]
    #: allowed values for categorical columns
    choices: dict[str, tuple] = field(default_factory=dict)
    #: inclusive numeric ranges (min, max); None = open
    ranges: dict[str, tuple] = field(default_factory=dict)
    #: column whose values must be unique
    key: str | None = None
    required: bool = True
    #: optional column → kind: validated (kind, ranges) and kept when present, never required
    optional: dict[str, str] = field(default_factory=dict)


PARCEL_TYPES = ("老旧小区", "老旧厂区", "城中村", "危旧房", "预制板房屋", "低效用地")
PROJECT_STATUSES = ("储备", "谋划", "立项", "实施", "完工")
DECISIONS = ("留", "改", "拆")
DANGER_GRADES = ("", "A", "B", "C", "D")
#: 一老一小: residents by age group (persons; 0–3 = ages 0–2, 3–6 = 3–5, 6–12 = 6–11, 60+, 80+), optional on
#: compounds (int) and population cells (float); 七普 tables and cell attributes supply them
AGE_GROUPS = ("children_0_3", "children_3_6", "children_6_12", "elderly_60", "elderly_80")

LAYERS: dict[str, LayerSchema] = {
    s.name: s
    for s in [
        LayerSchema(
            "districts", POLYGONAL, {"adcode": "int", "name_zh": "str", "name_en": "str"}, key="adcode"
        ),
        LayerSchema(
            "subdistricts",
            POLYGONAL,
            {"subdistrict_id": "str", "name": "str", "district_adcode": "int"},
            key="subdistrict_id",
        ),
        LayerSchema(
            "communities",
            POLYGONAL,
            {"community_id": "str", "name": "str", "subdistrict_id": "str", "district_adcode": "int"},
            key="community_id",
        ),
        LayerSchema(
            "compounds",
            POLYGONAL,
            {
                "compound_id": "str",
                "name": "str",
                "district_adcode": "int",
                "community_id": "str",
                "build_year": "int",
                "households": "int",
                "population": "int",
                "elderly_share": "float",
                "parking_spaces": "int",
            },
            ranges={
                "build_year": (1900, 2030),
                "households": (0, None),
                "population": (0, None),
                "elderly_share": (0.0, 1.0),
                "parking_spaces": (0, None),
            }
            | {c: (0, None) for c in AGE_GROUPS},
            key="compound_id",
            optional={c: "int" for c in AGE_GROUPS},
        ),
        LayerSchema(
            "population_cells",
            POINT,
            {
                "cell_id": "str",
                "population": "float",
                "elderly": "float",
                "district_adcode": "int",
                "community_id": "str",
            },
            ranges={"population": (0, None), "elderly": (0, None)} | {c: (0, None) for c in AGE_GROUPS},
            key="cell_id",
            optional={c: "float" for c in AGE_GROUPS},
        ),
        LayerSchema(
            "facilities",
            POINT,
            {"facility_id": "str", "type": "str", "name": "str", "district_adcode": "int", "capacity": "int"},
            ranges={"capacity": (0, None)},
            key="facility_id",
        ),
        LayerSchema("streets", LINEAR, {"street_id": "str", "kind": "str"}, key="street_id"),
        LayerSchema(
            "parcels",
            POLYGONAL,
            {
                "parcel_id": "str",
                "name": "str",
                "parcel_type": "str",
                "district_adcode": "int",
                "build_year": "int",
                "area_m2": "float",
                "danger_grade": "str",
                "precast_slab": "bool",
                "heritage": "bool",
                "households": "int",
                "parking_shortage": "int",
                "status": "str",
                "decision": "str",
                "budget_wan": "float",
            },
            choices={
                "parcel_type": PARCEL_TYPES,
                "status": PROJECT_STATUSES,
                "decision": DECISIONS,
                "danger_grade": DANGER_GRADES,
            },
            ranges={"build_year": (1900, 2030), "area_m2": (0, None), "budget_wan": (0, None)},
            key="parcel_id",
        ),
    ]
}
