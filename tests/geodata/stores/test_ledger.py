"""Excel ledger round trip on both stores: export, edit in a spreadsheet, import back."""

import pandas as pd

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
