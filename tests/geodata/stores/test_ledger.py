"""Excel ledger round trip on both stores: export, edit in a spreadsheet, import back."""

import pandas as pd
import pytest

from tests.geodata.stores.conftest import PARCEL


def test_ledger_round_trip(store, tmp_path):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    ledger = store.ledger()
    assert "项目名称" in ledger.columns and ledger.iloc[0]["项目编号"] == pid
    path = tmp_path / "ledger.xlsx"
    ledger.to_excel(path, index=False)
    edited = pd.read_excel(path)
    edited.loc[0, "状态"] = "立项"
    extra = pd.DataFrame(
        [
            {
                "项目名称": "停车场建设（示例）",
                "类别": "停车设施",
                "状态": "谋划",
                "留改拆": "改",
                "投资（万元）": 300,
            }
        ]
    )
    result = store.import_ledger(pd.concat([edited, extra], ignore_index=True), editor="导入")
    assert result == {"created": 1, "updated": 1, "problems": []}
    assert store.get(pid)["status"] == "立项" and len(store.list()) == 2
    bad = pd.DataFrame([{"项目名称": "x", "状态": "在建"}])
    assert len(store.import_ledger(bad, editor="导入")["problems"]) == 1


def _rows(year):
    good = {"项目名称": "停车场", "类别": "停车设施", "状态": "谋划", "留改拆": "改", "投资（万元）": 300}
    return pd.DataFrame([good, good | {"项目名称": "坏行", "开始年份": year}, good | {"项目名称": "第三行"}])


@pytest.mark.parametrize("year", ["2025年", "二〇二五", 1995])
def test_ledger_import_is_all_or_nothing(store, year):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    table = pd.concat(
        [store.ledger().assign(状态="立项").astype(object), _rows(year).astype(object)], ignore_index=True
    )
    result = store.import_ledger(table, editor="导入")
    assert result["created"] == result["updated"] == 0
    assert len(result["problems"]) == 1 and result["problems"][0].startswith("row 4: start_year")
    assert len(store.list()) == 1 and store.get(pid)["status"] == "储备"  # nothing written
    assert len(store.audit()) == 1


def test_ledger_import_rolls_back_on_a_conflict_found_while_writing(store):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    stale = store.ledger().assign(状态="立项")  # exported at version 1
    store.update(pid, {"notes": "别人改了"}, expected_version=1, editor="李工")
    result = store.import_ledger(pd.concat([_rows(2025).iloc[:1], stale], ignore_index=True), editor="导入")
    assert result["created"] == 0 and len(result["problems"]) == 1
    assert result["problems"][0].startswith("row 3: ") and "李工" in result["problems"][0]
    assert len(store.list()) == 1 and store.get(pid)["status"] == "储备"


def test_ledger_reads_whole_numbers_typed_as_text(store):
    result = store.import_ledger(_rows("2025").astype({"开始年份": object}), editor="导入")
    assert result == {"created": 3, "updated": 0, "problems": []}
    assert sorted(store.list()["start_year"].dropna().tolist()) == [2025]


@pytest.mark.parametrize("name", ["=1+1", "-改造", "@SUM(A1)", '=HYPERLINK("http://x","y")'])
def test_ledger_export_is_formula_safe_and_round_trips(store, tmp_path, name):
    from openpyxl import load_workbook

    from reports.tables import xlsx_bytes

    pid = store.create({"name": name, "category": "停车设施", "budget_wan": 300.0}, editor="张工")[
        "project_id"
    ]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(xlsx_bytes({"项目台账": store.ledger()}))
    cells = [c for row in load_workbook(path).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + name in [c.value for c in cells] and 300 in [c.value for c in cells]
    back = pd.read_excel(path)
    back["备注"] = back["备注"].astype(object)
    back.loc[0, "备注"] = "改过"
    assert store.import_ledger(back, editor="导入") == {"created": 0, "updated": 1, "problems": []}
    got = store.get(pid)
    assert got["name"] == name and got["notes"] == "改过" and got["budget_wan"] == 300.0


def test_stale_row_that_edits_nothing_is_unchanged(store):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    old = store.ledger()  # version 1
    store.update(pid, {"notes": "别人改了", "status": "立项"}, expected_version=1, editor="李工")
    assert store.import_ledger(old, editor="导入") == {"created": 0, "updated": 0, "problems": []}
    assert store.get(pid)["notes"] == "别人改了" and store.get(pid)["version"] == 2  # not undone
    edited = old.assign(留改拆="拆")  # an edit on version 1 → stale
    result = store.import_ledger(edited, editor="导入")
    assert len(result["problems"]) == 1 and result["problems"][0].startswith("row 2: version: 第 1 版已过期")
    current = store.ledger().assign(留改拆="拆")  # the same edit on version 2 → accepted
    assert store.import_ledger(current, editor="导入") == {"created": 0, "updated": 1, "problems": []}


def test_unknown_id_and_parcel_already_a_project_are_refused(store):
    store.promote_parcel(PARCEL, editor="张工")
    table = pd.DataFrame(
        [
            {"项目编号": "P1999-0001", "项目名称": "别处的项目", "版本": 1},
            {"项目名称": "同一地块", "地块编号": PARCEL["parcel_id"]},
        ]
    )
    result = store.import_ledger(table, editor="导入")
    assert [p.split(": ")[:2] for p in result["problems"]] == [
        ["row 2", "project_id"],
        ["row 3", "parcel_id"],
    ]
    assert len(store.list()) == 1


def test_an_uploaded_workbook_reads_like_a_file(store, tmp_path):
    # the page hands read_ledger_xlsx Streamlit's upload (a binary file object), the CLI a path
    import io

    from geodata.stores.ledger import LedgerFileError, read_ledger_xlsx
    from reports.tables import xlsx_bytes

    store.create({"name": "=1+1", "start_year": 2025}, editor="张工")
    data = xlsx_bytes({"项目台账": store.ledger()})
    (tmp_path / "l.xlsx").write_bytes(data)
    upload = io.BytesIO(data)
    upload.name = "台账.xlsx"
    from_upload, from_file = read_ledger_xlsx(upload), read_ledger_xlsx(tmp_path / "l.xlsx")
    assert from_upload.equals(from_file) and from_upload.loc[0, "项目名称"] == "'=1+1"
    assert store.import_ledger(from_upload, editor="导入") == {"created": 0, "updated": 0, "problems": []}
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    with pytest.raises(LedgerFileError, match="x.xlsx"):
        read_ledger_xlsx(bad)
