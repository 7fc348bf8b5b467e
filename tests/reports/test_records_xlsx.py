"""The submission workbook: one sheet per level, title and headers, formula guard, read back all or nothing."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from reports.records_xlsx import evidence_cell, parse_evidence, read_records_xlsx, records_xlsx

HOSTILE = '=HYPERLINK("x")'
CAT = [
    {
        "key": "h1",
        "level": "housing",
        "dimension": "安全耐久",
        "name_zh": "存在结构安全隐患的住宅数量",
        "name_en": "Structural hazards",
        "unit": "栋",
        "source_level": "国家",
        "department": "住建局",
    },
    {
        "key": "b1",
        "level": "block",
        "dimension": "功能完善",
        "name_zh": "中学服务半径覆盖率",
        "name_en": "Middle-school coverage",
        "unit": "%",
        "source_level": "国家",
        "department": "教育局",
    },
]
RECS = pd.DataFrame(
    [
        {
            "indicator": "h1",
            "value": 3.0,
            "manual": True,
            "standard": 0.0,
            "grade": "较差",
            "warning": "red",
            "data_source": HOSTILE,
            "source_level": "国家",
            "department": HOSTILE,
            "evidence": [{"item": "排查表", "done": True}, {"item": HOSTILE, "done": False}],
            "status": "已提交",
            "version": 3,
        },
        {
            "indicator": "b1",
            "value": 0.88,
            "manual": False,
            "standard": None,
            "grade": "无标准",
            "warning": "none",
            "data_source": "本产品计算",
            "source_level": "国家",
            "department": "教育局",
            "evidence": [],
            "status": "草稿",
            "version": 0,
        },
    ]
)


def _book(lang="zh"):
    return records_xlsx(RECS, CAT, city="南昌市", year=2026, scope="全市", lang=lang)


def test_layout_sheets_title_headers():
    wb = load_workbook(io.BytesIO(_book()))
    assert wb.sheetnames == ["住房", "小区（社区）", "街区", "城区（城市）"]
    ws = wb["住房"]
    assert ws["A1"].value == "南昌市 2026年度城市体检指标填报表（全市 · 住房）"
    assert [c.value for c in ws[2]] == [
        "序号",
        "维度",
        "指标项",
        "单位",
        "标准值",
        "指标值",
        "评价等级",
        "预警",
        "数据来源",
        "来源层级",
        "责任部门",
        "佐证材料",
        "填报状态",
    ]
    row = [c.value for c in ws[3]]
    assert row[:8] == [1, "安全耐久", "存在结构安全隐患的住宅数量", "栋", 0, 3, "较差", "红色"]
    assert row[12] == "已提交" and row[11] == "☑排查表；☐" + HOSTILE  # not at the start: not a formula
    block = [c.value for c in wb["街区"][3]]
    assert block[4] == "无标准" and block[5] == 88 and block[12] == "未保存"  # percent written as 88


def test_hostile_text_stays_text():
    ws = load_workbook(io.BytesIO(_book()))["住房"]
    assert ws["K3"].value == "'" + HOSTILE and ws["K3"].data_type == "s"
    assert ws["I3"].value.startswith("人工填报：") and "'=" not in ws["I3"].value[:6]


def test_english_headers():
    ws = load_workbook(io.BytesIO(_book("en")))["Housing"]
    assert (
        ws["C2"].value == "Indicator" and ws["C3"].value == "Structural hazards" and ws["H3"].value == "Red"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_read_back_round_trip(lang):
    rows, problems = read_records_xlsx(_book(lang), CAT)
    assert problems == []
    h1 = next(r for r in rows if r["indicator"] == "h1")
    assert (
        h1["value"] == 3
        and h1["standard"] == 0
        and h1["department"] == HOSTILE
        and h1["data_source"] == HOSTILE
    )
    assert h1["evidence"] == [{"item": "排查表", "done": True}, {"item": HOSTILE, "done": False}]
    b1 = next(r for r in rows if r["indicator"] == "b1")
    assert b1["value"] == 0.88 and b1["standard"] is None
    assert b1["department"] == "教育局" and b1["data_source"] == ""  # labels back to stored values


def test_read_back_refuses_everything_on_a_bad_row():
    wb = load_workbook(io.BytesIO(_book()))
    wb["住房"]["F3"] = "很多"
    wb["街区"]["C3"] = "没有这个指标"
    buf = io.BytesIO()
    wb.save(buf)
    rows, problems = read_records_xlsx(buf.getvalue(), CAT)
    assert rows == [] and len(problems) == 2
    assert "住房 第 3 行" in problems[0] and "不是数字" in problems[0] and "未知指标" in problems[1]
    assert read_records_xlsx(b"not a workbook", CAT)[1][0].startswith("无法读取")


def test_evidence_cell_round_trip():
    ev = [{"item": "a", "done": True}, {"item": "b", "done": False}]
    assert parse_evidence(evidence_cell(ev)) == ev and evidence_cell([]) == ""
