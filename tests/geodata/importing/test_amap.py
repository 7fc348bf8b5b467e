"""AMap / Baidu POI exports: recognised by columns, location split, datum, typecodes, unmapped counts, user table."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geodata.catalogue import load_catalogue
from geodata.chinacoords import gcj02_to_wgs84, wgs84_to_gcj02
from geodata.importing import apply_datum
from geodata.importing.amap import (
    assign_types,
    detect_provider,
    load_typecodes,
    lookup,
    read_poi,
    save_typecodes,
    split_location,
    user_typecodes_path,
)

AMAP_COLS = ["id", "name", "type", "typecode", "address", "location", "pname", "cityname", "adname"]


@pytest.fixture
def cat():
    return load_catalogue()


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path / "data"))


def _amap_csv(path, rows):
    pd.DataFrame(rows, columns=AMAP_COLS).to_csv(path, index=False)
    return path


ROWS = [
    [
        "B001",
        "青山湖幼儿园",
        "科教文化服务;学校;幼儿园",
        "141204",
        "路1号",
        "115.9521,28.6843",
        "江西省",
        "南昌市",
        "青山湖区",
    ],
    [
        "B002",
        "八一小学",
        "科教文化服务;学校;小学",
        "141203",
        "路2号",
        "115.9421,28.6803",
        "江西省",
        "南昌市",
        "青山湖区",
    ],
    [
        "B003",
        "某大学",
        "科教文化服务;学校;高等院校",
        "141201",
        "路3号",
        "115.9621,28.6903",
        "江西省",
        "南昌市",
        "青山湖区",
    ],
    [
        "B004",
        "湖坊卫生院",
        "医疗保健服务;综合医院;卫生院",
        "090102",
        "路4号",
        "115.9321,28.6703",
        "江西省",
        "南昌市",
        "青山湖区",
    ],
    [
        "B005",
        "另一大学",
        "科教文化服务;学校;高等院校",
        "141201",
        "路5号",
        "115.9721,28.6953",
        "江西省",
        "南昌市",
        "青山湖区",
    ],
    [
        "B001",
        "青山湖幼儿园",
        "科教文化服务;学校;幼儿园",
        "141204",
        "路1号",
        "115.9521,28.6843",
        "江西省",
        "南昌市",
        "青山湖区",
    ],
    ["B006", "坏坐标", "科教文化服务;学校;小学", "141203", "路6号", "[]", "江西省", "南昌市", "青山湖区"],
]


def test_recognised_by_columns():
    assert detect_provider(AMAP_COLS) == "amap"
    assert detect_provider(["name", "typecode", "lng", "lat"]) == "amap"
    assert detect_provider(["uid", "name", "location"]) == "baidu"
    assert detect_provider(["UID", "Name", "lng", "lat"]) == "baidu"
    assert detect_provider(["名称", "类别", "lng", "lat"]) is None  # a bureau list: the general reader
    assert detect_provider(["name", "typecode", "address"]) is None  # no location at all


def test_location_split():
    lng, lat = split_location(
        pd.Series(["115.9521,28.6843", " 115.1 , 28.2 ", "bad", None, "115,28;116,29", "[]"])
    )
    np.testing.assert_allclose(lng[[0, 1, 4]], [115.9521, 115.1, 115.0])
    np.testing.assert_allclose(lat[[0, 1, 4]], [28.6843, 28.2, 28.0])
    assert np.isnan(lng[[2, 3, 5]]).all() and np.isnan(lat[[2, 3, 5]]).all()
    lng, lat = split_location(pd.Series(["{'lat': 28.68, 'lng': 115.9}", '{"lng": 115.91, "lat": 28.69}']))
    np.testing.assert_allclose(lng, [115.9, 115.91])
    np.testing.assert_allclose(lat, [28.68, 28.69])


def test_read_poi_csv(tmp_path):
    poi = read_poi(_amap_csv(tmp_path / "export.csv", ROWS))
    assert poi.provider == "amap" and poi.datum == "gcj02" and poi.result.datum_hint == "gcj02"
    assert poi.rows == 7 and poi.duplicate_ids == 1 and poi.bad_location == 1
    gdf = poi.result.gdf
    assert len(gdf) == 6 and gdf.crs.to_epsg() == 4326
    assert gdf["typecode"].tolist()[3] == "090102"  # read as text: the leading zero stays
    assert gdf["facility_id"].tolist()[:2] == ["amap:B001", "amap:B002"]
    assert gdf.geometry.iloc[0].x == pytest.approx(115.9521) and gdf.geometry.iloc[5] is None
    assert "GCJ02" in poi.notes[0] and not poi.result.notes


def test_no_readable_location_is_a_clear_message(tmp_path):
    from geodata.errors import DataValidationError
    from i18n.problems import known

    bad = [[*r[:5], "[]", *r[6:]] for r in ROWS[:2]]
    with pytest.raises(DataValidationError) as err:
        read_poi(_amap_csv(tmp_path / "export.csv", bad))
    assert all(known(p.problem) and known(p.hint) for p in err.value.problems)


def test_read_poi_xlsx_and_not_a_poi_file(tmp_path):
    x = tmp_path / "高德导出.xlsx"
    pd.DataFrame(ROWS[:2], columns=AMAP_COLS).to_excel(x, index=False)
    poi = read_poi(x)
    assert poi is not None and len(poi.result.gdf) == 2
    plain = tmp_path / "list.csv"
    pd.DataFrame({"名称": ["甲"], "类别": ["幼儿园"], "lng": [115.9], "lat": [28.68]}).to_csv(
        plain, index=False
    )
    assert read_poi(plain) is None


def test_gcj02_shift_magnitude(tmp_path):
    """AMap degrees at Nanchang are ≈ 500 m north-east of WGS84; the conversion undoes it to < 0.1 m."""
    poi = read_poi(_amap_csv(tmp_path / "export.csv", ROWS[:1]))
    wgs = apply_datum(poi.result.gdf, poi.datum)
    x, y = wgs.geometry.iloc[0].x, wgs.geometry.iloc[0].y
    ex, ey = gcj02_to_wgs84(115.9521, 28.6843)
    assert (x, y) == pytest.approx((float(ex), float(ey)), abs=1e-9)
    # hand check: 1° lat ≈ 110.9 km; 1° lng ≈ 111.32 km × cos(28.68°) ≈ 97.7 km
    dx_m = (115.9521 - x) * 111_320 * np.cos(np.radians(28.68))
    dy_m = (28.6843 - y) * 110_900
    shift = float(np.hypot(dx_m, dy_m))
    assert 400 < shift < 650, shift  # DOMAIN §6: 300–600 m in Jiangxi; ≈ 530 m here
    gx, gy = wgs84_to_gcj02(x, y)  # forward again: back on the AMap position within ≈ 0.1 m
    assert abs(float(gx) - 115.9521) * 97_700 < 0.1 and abs(float(gy) - 28.6843) * 110_900 < 0.1


def test_typecode_lookup_rules(cat):
    codes, rules = load_typecodes(cat)
    assert lookup("141204", codes) == "kindergarten"
    assert lookup("141203", codes) == "primary_school"
    assert lookup("080111", codes) == "sports_field"  # parent 080100 (中类) rule
    assert lookup("150501", codes) == "metro_station"
    assert lookup("090101", codes) == ""  # parent 090100 is deliberately unmapped (hospitals)
    assert lookup("140000", codes) == ""  # a major class is never a fallback
    assert lookup("141201", codes) == ""
    assert ("社区卫生服务中心", "health_center") in rules
    assert not codes.loc[["060705"], "verified"].any()  # uncertain codes are marked, not hidden


def test_assign_types_and_unmapped_counts(tmp_path, cat):
    rows = [
        *ROWS[:5],
        [
            "B007",
            "湖坊社区卫生服务中心",
            "医疗保健服务;综合医院;综合医院",
            "090100",
            "",
            "115.93,28.67",
            "",
            "",
            "",
        ],
    ]
    rows += [
        [
            "B008",
            "两用",
            "科教文化服务;学校;高等院校|科教文化服务;学校;幼儿园",
            "141201|141204",
            "",
            "115.95,28.69",
            "",
            "",
            "",
        ]
    ]
    rows += [["B009", "表格里的码", "医疗保健服务;综合医院;卫生院", "90102", "", "115.96,28.69", "", "", ""]]
    poi = read_poi(_amap_csv(tmp_path / "export.csv", rows))
    typed, counts = assign_types(poi.result.gdf, "amap", cat)
    assert typed["type"].tolist() == [
        "kindergarten",
        "primary_school",
        None,
        "health_center",
        None,
        "health_center",  # name rule beats the hospital code
        "kindergarten",  # of two codes, the first that maps
        "health_center",  # 90102 from a spreadsheet number: leading zero restored
    ]
    assert typed["poi_type"].iloc[0] == "科教文化服务;学校;幼儿园"  # the provider's own type kept
    assert counts.mapped == {"kindergarten": 2, "health_center": 3, "primary_school": 1}
    assert counts.by_name == 1
    assert counts.unmapped.to_dict("records") == [
        {"code": "141201", "name": "科教文化服务;学校;高等院校", "count": 2}
    ]


def test_user_table_overrides_the_shipped_one(tmp_path, cat):
    codes, _ = load_typecodes(cat)
    edited = codes.copy()
    edited.loc["141201", ["code", "name", "type", "verified"]] = [
        "141201",
        "科教文化服务;学校;高等院校",
        "middle_school",
        False,
    ]
    edited.loc["141204", "type"] = ""  # the user unmaps kindergartens
    edited.loc["999999", ["code", "name", "type"]] = ["999999", 'quote " and\nnewline', "park"]
    path = save_typecodes(edited, editor="王工")
    assert path == user_typecodes_path() and path.exists()
    assert 'edited_by = "王工"' in path.read_text(encoding="utf-8")
    again, rules = load_typecodes(cat)
    assert lookup("141201", again) == "middle_school"
    assert lookup("141204", again) == ""
    assert again.loc["999999", "name"] == 'quote " and\nnewline' and lookup("999999", again) == "park"
    assert again.loc["141201", "edited"] and ("养老院", "elderly_home") in rules
    path.unlink()
    assert lookup("141204", load_typecodes(cat)[0]) == "kindergarten"  # back to the shipped table


def test_unknown_type_in_user_table_is_unmapped(cat):
    user_typecodes_path().write_text('[[code]]\ncode = "141204"\ntype = "no_such_type"\n', encoding="utf-8")
    assert lookup("141204", load_typecodes(cat)[0]) == ""


def test_baidu_export(tmp_path, cat):
    csv = tmp_path / "baidu.csv"
    pd.DataFrame(
        {
            "uid": ["u1", "u2", "u3"],
            "name": ["甲幼儿园", "乙小学", "丙公司"],
            "lng": [115.9, 115.91, 115.92],
            "lat": [28.68, 28.69, 28.70],
            "tag": ["教育培训;幼儿园", "教育培训;小学", "公司企业;公司"],
        }
    ).to_csv(csv, index=False)
    poi = read_poi(csv)
    assert poi.provider == "baidu" and poi.datum == "bd09"
    assert poi.result.gdf["facility_id"].tolist() == ["baidu:u1", "baidu:u2", "baidu:u3"]
    typed, counts = assign_types(poi.result.gdf, "baidu", cat)
    assert typed["type"].tolist() == ["kindergarten", "primary_school", None]
    assert counts.unmapped.to_dict("records") == [
        {"code": "公司企业;公司", "name": "公司企业;公司", "count": 1}
    ]
    wgs = apply_datum(poi.result.gdf, "bd09")
    # BD-09 ≈ GCJ-02 + (0.0065°, 0.0060°); GCJ-02 ≈ WGS84 + (0.0049°, −0.0033°) at Nanchang (see the GCJ test):
    # WGS84 lies ≈ (0.0114°, 0.0027°) west and south of the Baidu position
    dx, dy = 115.9 - wgs.geometry.iloc[0].x, 28.68 - wgs.geometry.iloc[0].y
    assert 0.010 < dx < 0.013 and 0.0015 < dy < 0.004, (dx, dy)
    assert isinstance(wgs, gpd.GeoDataFrame)
