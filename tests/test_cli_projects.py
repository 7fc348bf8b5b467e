"""``cli.py projects export / import``: the 项目台账 round trip, refused rows, exit codes, concurrency.

A tiny library of three projects (SQLite file, or the local PostGIS for the concurrency test); each
test edits one exported workbook the way a district office would and checks the last line, the exit
code and what the store holds afterwards.
"""

import os
import subprocess
import sys
import time

import openpyxl
import pytest

from geodata.paths import REPO_ROOT
from geodata.stores import LEDGER_HEADERS, PostGISProjectStore, SQLiteProjectStore
from tests.geodata.stores.conftest import fresh_postgis

HEADERS = list(LEDGER_HEADERS.values())
THREE = [
    {"name": "桂苑小区改造", "category": "老旧小区改造", "budget_wan": 850.0, "start_year": 2025},
    {"name": "洪都厂区更新", "category": "老旧厂区改造", "status": "谋划", "decision": "留"},
    {"name": "八一停车场", "category": "停车设施", "budget_wan": 300.0, "parcel_id": "P0007"},
]


def run(*args, env=None):
    proc = subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=None if env is None else os.environ | env,
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def last_line(proc) -> str:
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture
def library(tmp_path):
    """A SQLite library of three projects (P<year>-0001 … 0003) and its ``--db`` URL."""
    store = SQLiteProjectStore(tmp_path / "lib.sqlite")
    for fields in THREE:
        store.create(fields, editor="张工")
    return store, f"sqlite:///{tmp_path / 'lib.sqlite'}"


def export(db, out):
    p = run("projects", "export", "--out", str(out), "--db", db)
    assert p.returncode == 0 and last_line(p).startswith("projects="), p.stderr
    return openpyxl.load_workbook(out)


def write_rows(path, rows, headers=HEADERS):
    """A ledger workbook from lists of cell values (strings starting with = become formulas)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def snapshot(store):
    return store.list().to_json(force_ascii=False), len(store.audit())


# ------------------------------------------------------------------------------------------ export
def test_export_one_row_per_project_id_first_with_version(library, tmp_path):
    store, db = library
    p = run("projects", "export", "--out", str(tmp_path / "台账.xlsx"), "--db", db)
    assert p.returncode == 0 and last_line(p) == "projects=3", p.stderr
    sheet = openpyxl.load_workbook(tmp_path / "台账.xlsx")["项目台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[0][0] == "项目编号" and rows[0][-1] == "版本"
    assert [r[0] for r in rows[1:]] == store.list()["project_id"].tolist()
    assert [r[1] for r in rows[1:]] == ["桂苑小区改造", "洪都厂区更新", "八一停车场"]
    assert [r[-1] for r in rows[1:]] == [1, 1, 1]


def test_export_without_db_uses_the_apps_library(tmp_path, demo_gpkg):
    # the demo workspace's own seeded library in the data directory, exactly as the app opens it
    p = run(
        "projects", "export", "--out", str(tmp_path / "demo.xlsx"), env={"RENEWAL_DATA_DIR": str(tmp_path)}
    )
    assert p.returncode == 0, p.stderr
    seeded = SQLiteProjectStore(tmp_path / "demo_projects.sqlite").list()
    assert len(seeded) > 0 and last_line(p) == f"projects={len(seeded)}"


# ------------------------------------------------------------------------------------------ round trip
def test_untouched_export_imports_as_nothing(library, tmp_path):
    store, db = library
    export(db, tmp_path / "a.xlsx")
    before = snapshot(store)
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, "--user", "区办王工")
    assert p.returncode == 0 and last_line(p) == "created=0 updated=0 refused=0", p.stdout + p.stderr
    assert snapshot(store) == before


def test_import_creates_and_updates_only_changed_fields(library, tmp_path):
    store, db = library
    book = export(db, tmp_path / "a.xlsx")
    sheet = book["项目台账"]
    sheet["D3"] = "立项"  # 状态 of the second project
    sheet.append([None, "新建口袋公园", "完整社区配套", "谋划", "改", 120, "2026", 2027])
    book.save(tmp_path / "a.xlsx")
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, "--user", "区办王工")
    assert p.returncode == 0 and last_line(p) == "created=1 updated=1 refused=0", p.stdout + p.stderr
    lib = store.list()
    assert len(lib) == 4 and lib["status"].tolist()[1] == "立项" and lib["version"].tolist() == [1, 2, 1, 1]
    new = lib.iloc[3]
    assert new["name"] == "新建口袋公园" and new["start_year"] == 2026 and new["end_year"] == 2027
    audit = store.audit()
    changed = audit[audit["editor"] == "区办王工"]
    assert sorted(changed["action"]) == ["create", "update"] and changed["field"].dropna().tolist() == [
        "status"
    ]


def test_user_defaults_to_the_os_user(library, tmp_path):
    store, db = library
    write_rows(tmp_path / "a.xlsx", [[None, "新项目", "其他", "储备", "改", 0]])
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, env={"LOGNAME": "wang_gong"})
    assert p.returncode == 0 and last_line(p) == "created=1 updated=0 refused=0", p.stderr
    assert store.audit()["editor"].tolist()[-1] == "wang_gong"


def test_formula_text_survives_the_round_trip(library, tmp_path):
    store, db = library
    pid = store.create({"name": "=1+1", "notes": "@备注", "category": "其他"}, editor="张工")["project_id"]
    book = export(db, tmp_path / "a.xlsx")
    sheet = book["项目台账"]
    row = next(r for r in sheet.iter_rows() if r[0].value == pid)
    assert row[1].value == "'=1+1" and row[1].data_type == "s"  # text in Excel, not a formula
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, "--user", "王工")
    assert p.returncode == 0 and last_line(p) == "created=0 updated=0 refused=0", p.stdout
    row[3].value = "立项"
    book.save(tmp_path / "a.xlsx")
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, "--user", "王工")
    assert p.returncode == 0 and last_line(p) == "created=0 updated=1 refused=0", p.stdout
    assert store.get(pid)["name"] == "=1+1" and store.get(pid)["notes"] == "@备注"
    assert store.get(pid)["status"] == "立项"


# ------------------------------------------------------------------------------------------ refused rows
GOOD = [None, "新项目", "其他", "储备", "改", 100]


@pytest.mark.parametrize(
    ("column", "value", "field", "message"),
    [
        ("开始年份", "2025年", "开始年份 (start_year)", "不是 2000–2100 之间的年份"),
        ("开始年份", "二〇二五", "开始年份 (start_year)", "not a year between 2000 and 2100"),
        ("开始年份", 1995, "开始年份 (start_year)", "not a year between 2000 and 2100"),
        ("项目名称", "桂苑_x0000_小区", "项目名称 (name)", "contains a NUL byte"),
        ("几何（WKT）", "POLYGON ((1 2, 3", "geometry_wkt", "invalid WKT"),
        ("项目名称", '=HYPERLINK("http://evil.example","点我")', "项目名称 (name)", "a spreadsheet formula"),
        ("投资（万元）", "三百万", "投资（万元） (budget_wan)", "not a number"),
        ("状态", "在建", "状态 (status)", "not one of"),
        ("项目名称", None, "项目名称 (name)", "may not be blank"),
    ],
)
def test_one_bad_row_refuses_the_file(library, tmp_path, column, value, field, message):
    store, db = library
    headers = HEADERS + ["几何（WKT）"]
    bad = [*GOOD, None, None, None, None, None, None, None, None]
    bad[headers.index(column)] = value
    write_rows(tmp_path / "a.xlsx", [GOOD, bad, GOOD], headers)
    before = snapshot(store)
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, "--user", "王工")
    assert p.returncode == 1 and last_line(p) == "created=0 updated=0 refused=1", p.stdout + p.stderr
    report = p.stdout.strip().splitlines()[:-1]
    assert "nothing was written" in report[0]
    assert len(report) == 2 and report[1].strip().startswith(f"第 3 行 / row 3 · {field}: ")
    assert message in report[1]
    assert snapshot(store) == before  # nothing written: the two good rows neither


def test_formula_typed_as_text_is_refused(library, tmp_path):
    store, db = library
    path = write_rows(tmp_path / "a.xlsx", [GOOD])
    book = openpyxl.load_workbook(path)
    cell = book.active["B2"]
    cell.value, cell.data_type = "=HYPERLINK(1)", "s"  # a text cell, not a formula cell
    book.save(path)
    p = run("projects", "import", str(path), "--db", db, "--user", "王工")
    assert p.returncode == 1 and last_line(p) == "created=0 updated=0 refused=1"
    assert "项目名称 (name): '=HYPERLINK(1)'" in p.stdout


def test_update_rows_refused_for_unknown_id_repeats_and_fixed_fields(library, tmp_path):
    store, db = library
    book = export(db, tmp_path / "a.xlsx")
    sheet = book["项目台账"]
    pid = sheet["A2"].value
    sheet["B2"], sheet["K4"] = "改了名字", "P9999"  # 地块编号 of the third project
    sheet.append([pid, "又改一次", "老旧小区改造", "储备", "改", 850, 2025, None, None, None, None, None, 1])
    sheet.append(["P1999-0001", "别的库", "其他", "储备", "改", 0, None, None, None, None, None, None, 1])
    book.save(tmp_path / "a.xlsx")
    before = snapshot(store)
    p = run("projects", "import", str(tmp_path / "a.xlsx"), "--db", db, "--user", "王工")
    assert p.returncode == 1 and last_line(p) == "created=0 updated=0 refused=3", p.stdout
    assert "row 4 · 地块编号 (parcel_id): 导入不能修改" in p.stdout
    assert "row 5 · 项目编号 (project_id): 与第 2 行是同一项目" in p.stdout
    assert "row 6 · 项目编号 (project_id): 库中没有项目 P1999-0001" in p.stdout
    assert snapshot(store) == before


def test_stale_rows(library, tmp_path):
    store, db = library
    export(db, tmp_path / "old.xlsx")  # every row at version 1
    pid = store.list()["project_id"].tolist()[0]
    store.update(pid, {"notes": "李工后来补充"}, expected_version=1, editor="李工")
    # untouched old file: the row only holds older values → unchanged, the later save survives
    p = run("projects", "import", str(tmp_path / "old.xlsx"), "--db", db, "--user", "王工")
    assert p.returncode == 0 and last_line(p) == "created=0 updated=0 refused=0", p.stdout
    assert store.get(pid)["notes"] == "李工后来补充"
    # an edit on the old version → refused as stale, naming who saved since
    book = openpyxl.load_workbook(tmp_path / "old.xlsx")
    book["项目台账"]["D2"] = "立项"
    book.save(tmp_path / "old.xlsx")
    p = run("projects", "import", str(tmp_path / "old.xlsx"), "--db", db, "--user", "王工")
    assert p.returncode == 1 and last_line(p) == "created=0 updated=0 refused=1", p.stdout
    assert "row 2 · 版本 (version): 第 1 版已过期：李工" in p.stdout and "edits status" in p.stdout
    assert store.get(pid)["status"] == "储备" and store.get(pid)["version"] == 2


# ------------------------------------------------------------------------------------------ bad files
def test_unreadable_files_exit_2(library, tmp_path):
    _, db = library
    (tmp_path / "csv.xlsx").write_text("项目编号,项目名称\n,x\n", encoding="utf-8")
    empty = openpyxl.Workbook()
    empty.save(tmp_path / "empty.xlsx")
    write_rows(tmp_path / "noid.xlsx", [["新项目", "其他"]], headers=["项目名称", "类别"])
    cases = {
        "csv.xlsx": "not an Excel workbook",
        "empty.xlsx": "is empty",
        "noid.xlsx": "no 项目编号 (project_id) column",
        "missing.xlsx": "file not found",
    }
    for name, message in cases.items():
        p = run("projects", "import", str(tmp_path / name), "--db", db, "--user", "王工")
        assert p.returncode == 2 and message in p.stderr and "created=" not in p.stdout, (name, p.stderr)
    p = run("projects", "import", str(tmp_path / "noid.xlsx"), "--db", "mysql://x", "--user", "王工")
    assert p.returncode == 2
    p = run("projects", "import", str(tmp_path / "noid.xlsx"), "--db", db, "--user", " ")
    assert p.returncode == 2 and "--user" in p.stderr


def test_help_lists_the_command():
    assert "projects" in run("--help").stdout
    text = run("projects", "--help").stdout
    assert "export" in text and "import" in text and "项目库台账" in text


# ------------------------------------------------------------------------------------------ concurrency
def _concurrent_imports(tmp_path, db, n_files, per_file=15):
    paths = []
    for f in range(n_files):
        rows = [[None, f"文件{f}项目{i}", "其他", "储备", "改", i] for i in range(per_file)]
        paths.append(write_rows(tmp_path / f"office{f}.xlsx", rows))
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "cli.py", "projects", "import", str(p), "--db", db, "--user", f"区办{i}"],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, p in enumerate(paths)
    ]
    results = [(proc.wait(timeout=300), *proc.communicate()) for proc in procs]
    wall = time.perf_counter() - t0
    for code, out, err in results:
        assert code == 0 and out.strip().splitlines()[-1] == f"created={per_file} updated=0 refused=0", err
    print(f"{n_files}×{per_file} concurrent imports: {wall:.1f} s")
    return wall


def _assert_all_created(store, n):
    lib, audit = store.list(), store.audit()
    assert len(lib) == n and lib["project_id"].nunique() == n
    assert (audit["action"] == "create").sum() == n and audit["project_id"].nunique() == n


def test_ten_concurrent_imports_on_postgis(pg_url, tmp_path):
    fresh_postgis(pg_url)
    _concurrent_imports(tmp_path, pg_url, 10)
    _assert_all_created(PostGISProjectStore(pg_url), 150)


def test_concurrent_imports_on_sqlite(tmp_path):
    _concurrent_imports(tmp_path, f"sqlite:///{tmp_path / 'lib.sqlite'}", 4)
    _assert_all_created(SQLiteProjectStore(tmp_path / "lib.sqlite"), 60)
