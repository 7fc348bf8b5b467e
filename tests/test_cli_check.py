"""`cli.py check` on the files a real office sends: documented exit code (0 usable, 1 problems, 2 unreadable),
a Chinese and English message, never a traceback."""

import subprocess
import sys
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from batch.commands import main
from geodata.paths import REPO_ROOT


def check(capsys, *args):
    code = main(["check", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _csv(tmp_path, name, frame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


GOOD = pd.DataFrame({"名称": ["八一小学", "青山湖幼儿园"], "lng": [115.89, 115.92], "lat": [28.67, 28.68]})


def test_usable_file_exits_0(tmp_path, capsys):
    code, out, _ = check(capsys, _csv(tmp_path, "ok.csv", GOOD))
    assert code == 0 and out.strip().splitlines()[-1] == "usable as is: yes" and "可直接使用：是" in out


def test_multi_layer_without_layer_exits_1_with_the_list(tmp_path, capsys):
    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame(GOOD[["名称"]], geometry=[Point(115.89, 28.67), Point(115.92, 28.68)], crs=4326).to_file(
        path, layer="schools"
    )
    gpd.GeoDataFrame({"名称": ["甲"]}, geometry=[Point(115.9, 28.69)], crs=4326).to_file(
        path, layer="clinics"
    )
    code, out, _ = check(capsys, path)
    assert code == 1 and "the file has 2 layers and none was chosen: schools (2), clinics (1)" in out
    assert "文件有 2 个图层，未指定读取哪一个" in out
    code, out, _ = check(capsys, path, "--layer", "clinics")
    assert code == 0 and "features: 1" in out
    code, _, err = check(capsys, path, "--layer", "parks")
    assert code == 2 and "no layer named 'parks'; the layers are: schools, clinics" in err
    assert "没有名为 'parks' 的图层" in err


def test_vrt_disguised_as_geojson_exits_2(tmp_path, capsys):
    path = tmp_path / "roads.geojson"
    path.write_text(
        "<OGRVRTDataSource><OGRVRTLayer name='x'><SrcDataSource>/etc/passwd</SrcDataSource>"
        "</OGRVRTLayer></OGRVRTDataSource>",
        "utf-8",
    )
    code, out, err = check(capsys, path)
    assert code == 2 and "content is not a .geojson file" in err and "扩展名与内容不符" in err
    assert "root:" not in out + err


@pytest.mark.parametrize("crs", ["EPSG:999999", "foo"])
def test_invalid_crs_exits_2(tmp_path, capsys, crs):
    code, _, err = check(capsys, _csv(tmp_path, "ok.csv", GOOD), "--crs", crs)
    assert code == 2 and f"invalid CRS '{crs}'" in err and "无效的坐标系" in err


def test_damaged_zip_member_exits_2(tmp_path, capsys):
    d = tmp_path / "shp"
    d.mkdir()
    gpd.GeoDataFrame({"名称": ["甲"] * 40}, geometry=[Point(115.9, 28.68)] * 40, crs=4326).to_file(
        d / "f.shp"
    )
    path = tmp_path / "f.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for p in sorted(d.iterdir()):
            zf.write(p, p.name)
        info = zf.getinfo("f.dbf")
    raw = bytearray(path.read_bytes())
    raw[info.header_offset + 30 + len("f.dbf") + 100] ^= 0xFF
    path.write_bytes(bytes(raw))
    code, _, err = check(capsys, path)
    assert code == 2 and "member 'f.dbf' is damaged" in err and "已损坏" in err


def test_one_swapped_row_is_named_and_the_rest_guessed(tmp_path, capsys):
    frame = pd.concat([GOOD, pd.DataFrame({"名称": ["颠倒的点"], "lng": [28.69], "lat": [115.90]})])
    code, out, _ = check(capsys, _csv(tmp_path, "one.csv", frame))
    assert code == 1 and "crs: EPSG:4326 (inferred)" in out
    assert "one.csv (颠倒的点) row 2 field 'geometry': longitude and latitude swapped" in out
    assert "经纬度颠倒" in out and "outside China" not in out  # the other rows are fine


def test_out_of_area_and_invalid_rows(tmp_path, capsys):
    frame = pd.concat(
        [GOOD, pd.DataFrame({"名称": ["巴黎", "零点"], "lng": [2.35, 0.0], "lat": [48.85, 0.0]})]
    )
    code, out, _ = check(capsys, _csv(tmp_path, "far.csv", frame))
    assert code == 1 and "超出研究范围" in out and "坐标缺失/无效" in out and "(巴黎) row 2" in out


def test_gk_fitting_two_zones_is_refused_unless_crs_given(tmp_path, capsys):
    path = _csv(tmp_path, "gk.csv", pd.DataFrame({"x": [600_000.0], "y": [3_170_000.0]}))
    code, out, _ = check(capsys, path)
    assert code == 1 and "fit both EPSG:4547 and EPSG:4548" in out and "无法判断投影带" in out
    code, out, _ = check(capsys, path, "--crs", "EPSG:4548")
    assert code == 0 and "EPSG:4548 (user)" in out


def test_workbook_with_coordinates_on_the_second_sheet(tmp_path, capsys):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"说明": ["封面"]}).to_excel(xw, sheet_name="封面", index=False)
        GOOD.to_excel(xw, sheet_name="设施", index=False)
    code, out, _ = check(capsys, path)
    assert code == 1 and "sheets: 封面, 设施" in out and "give --sheet NAME" in out
    code, out, _ = check(capsys, path, "--sheet", "设施")
    assert code == 0


def test_empty_danger_grade_is_not_a_problem(tmp_path, capsys):
    frame = GOOD.assign(危房等级=["", "C"])
    code, out, _ = check(capsys, _csv(tmp_path, "grades.csv", frame))
    assert code == 0, out


def test_dms_semicolon_title_rows_in_one_file(tmp_path, capsys):
    text = "东湖区设施清单;;\n名称;经度(°);纬度(°)\n八一小学;115°53'24\"E;28°40'12\"N\n"
    (tmp_path / "office.csv").write_text(text, "gb18030")
    code, out, _ = check(capsys, tmp_path / "office.csv")
    assert code == 0 and "列分隔符为分号" in out and "已跳过表头上方的 1 行标题" in out


def test_cli_reads_a_file_above_the_upload_cap(tmp_path):
    # the 200 MB cap is the web page's; the CLI reads the local files the user names whatever their size
    import os

    path = _csv(tmp_path, "big.csv", pd.concat([GOOD] * 200))
    assert path.stat().st_size > 2_000
    proc = subprocess.run(
        [sys.executable, "cli.py", "check", str(path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RENEWAL_MAX_UPLOAD_MB": "0.001"},
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
