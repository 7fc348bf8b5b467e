"""城市体检报告 (Word): chapters in order, tables with the grade column, images, demo mark, hostile text, and
its pages through LibreOffice (skipped where soffice is absent)."""

import re
import shutil
import subprocess

import pandas as pd
import pytest
from docx import Document

from geodata.catalogue import load_catalogue
from geodata.indicators import load_indicators
from geodata.workspace import Workspace
from i18n import t
from reports.healthcheck_report import (
    CHAPTERS,
    build_report,
    build_report_from_store,
    clean_text,
    level_summary,
)

HOSTILE = '=HYPERLINK("http://evil/x","点我")<img src=x onerror=alert(1)>\x00\x07'


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.fixture(scope="module")
def ind(cat):
    return load_indicators(catalogue=cat)


@pytest.fixture(scope="module")
def full(demo_ws, cat, ind, tmp_path_factory):
    """The demo report with maps (chromium) and a review against 2025, built once."""
    out = tmp_path_factory.mktemp("rep") / "报告.docx"
    links = pd.DataFrame(
        {"problem_id": ["2026|community|C0046|old_housing_share"], "project_id": ["P2026-0015"]}
    )
    projects = pd.DataFrame({"project_id": ["P2026-0015"], "name": ["青明老旧小区改造"], "status": ["实施"]})
    counts = build_report(
        demo_ws,
        year=2026,
        compare=2025,
        out=out,
        catalogue=cat,
        indicators=ind,
        links=links,
        projects=projects,
    )
    return counts, Document(str(out))


def _headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_chapters_in_order_tables_images_and_counts(full, ind):
    counts, doc = full
    assert _headings(doc, 1) == [t(f"rep.ch.{c}", "zh") for c in CHAPTERS]
    assert counts.chapters == 7 and counts.tables == len(doc.tables) >= 12
    assert counts.figures == len(doc.inline_shapes) == 4  # two problem maps, the equity chart and map
    graded = [tb for tb in doc.tables if "等级" in [c.text for c in tb.rows[0].cells]]
    assert len(graded) >= 5  # three level tables, the district detail, the top problems
    level_tables = [tb for tb in graded if "预警" in [c.text for c in tb.rows[0].cells]]
    assert len(level_tables) == 3
    assert all(len(tb.rows) == len(ind) + 1 for tb in level_tables)  # header + every indicator
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert (
        sum(c.startswith("图") for c in captions) == 4
        and sum(c.startswith("表") for c in captions) == counts.tables
    )


def test_demo_mark_on_every_page_and_east_asian_font(full):
    _, doc = full
    header = doc.sections[0].header.paragraphs[0].text
    assert "示例数据" in header and "2026" in header
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert (
        normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "Noto Serif CJK SC"
    )


def test_projects_and_review_chapters_say_what_is_given(full):
    _, doc = full
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "未提供项目的预期成效测算" in text  # no effects table → said plainly
    assert re.search(r"对比 2025 年与 2026 年社区层级评价.*改善 \d+ 项次", text)
    proj = next(tb for tb in doc.tables if tb.rows[0].cells[0].text == "问题（单元 · 指标）")
    assert proj.rows[1].cells[2].text == "青明老旧小区改造" and proj.rows[1].cells[4].text == "未测算"


def test_effects_table_fills_the_column_and_english_headings(demo_ws, cat, ind, tmp_path):
    links = pd.DataFrame({"problem_id": ["2026|community|C0046|old_housing_share"], "project_id": ["P1"]})
    effects = pd.DataFrame({"problem_id": links["problem_id"], "project_id": ["P1"], "effect": ["+1,240 人"]})
    counts = build_report(
        demo_ws,
        year=2026,
        out=tmp_path / "en.docx",
        catalogue=cat,
        indicators=ind,
        lang="en",
        links=links,
        effects=effects,
        figures=False,
    )
    doc = Document(str(counts.path))
    assert _headings(doc, 1) == [t(f"rep.ch.{c}", "en") for c in CHAPTERS]
    assert counts.figures == 0 and len(doc.inline_shapes) == 0
    proj = next(tb for tb in doc.tables if tb.rows[0].cells[0].text == "Problem (unit · indicator)")
    assert proj.rows[1].cells[4].text == "+1,240 人"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "No comparison year was given" in text  # no --compare: the review chapter says so


def test_hostile_text_is_kept_literally_without_control_characters(demo_ws, cat, ind, tmp_path):
    layers = dict(demo_ws.layers)
    comp = layers["compounds"].copy()
    comp["name"] = HOSTILE  # every compound, so the left-behind tables show it
    layers["compounds"] = comp
    ws = Workspace(demo_ws.path, layers, dict(demo_ws.metadata) | {"city": "南昌\x00<b>市</b>"})
    counts = build_report(
        ws, year=2026, out=tmp_path / "h.docx", catalogue=cat, indicators=ind, figures=False
    )
    doc = Document(str(counts.path))
    cells = [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    assert clean_text(HOSTILE) in cells and not any("\x00" in c or "\x07" in c for c in cells)
    assert doc.paragraphs[0].text == "南昌<b>市</b>2026年城市体检报告"


def test_bad_year_and_folder(demo_ws, cat, ind, tmp_path):
    with pytest.raises(ValueError, match="no survey data for 2019"):
        build_report(
            demo_ws, year=2019, out=tmp_path / "r.docx", catalogue=cat, indicators=ind, figures=False
        )
    with pytest.raises(FileNotFoundError, match="output folder"):
        build_report(
            demo_ws, year=2026, out=tmp_path / "no" / "r.docx", catalogue=cat, indicators=ind, figures=False
        )


def test_level_summary_grade_and_warning_by_hand():
    # residents 50 / 30 / 20 in red / yellow / green units: most live under red; 50 % ≥ 20 % → red warning
    ev = pd.DataFrame(
        {
            "indicator": ["a"] * 3 + ["b"] * 3,
            "grade": ["red", "yellow", "green", "red", "yellow", "green"],
            "population": [50, 30, 20, 10, 15, 75],
        }
    )
    s = level_summary(ev)
    assert s.loc["a", ["green", "yellow", "red"]].tolist() == [1, 1, 1]
    assert (s.loc["a", "grade"], s.loc["a", "warning"], s.loc["a", "failing_population"]) == (
        "red",
        "red",
        50,
    )
    # b: red 10 % < 20 %, red + yellow 25 % ≥ 20 % → yellow warning; most residents (75) under green
    assert (s.loc["b", "grade"], s.loc["b", "warning"]) == ("green", "yellow")


def test_clean_text():
    assert (
        clean_text("a\x00b\x1fc\td\ne") == "abc\td\ne"
        and clean_text(None) == ""
        and clean_text(float("nan")) == ""
    )


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice absent"
)
def test_libreoffice_converts_and_pages_render(full, tmp_path):
    counts, _ = full
    src = tmp_path / "r.docx"
    shutil.copyfile(counts.path, src)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "r.pdf"
    assert pdf.stat().st_size > 100_000
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "p")], check=True, timeout=240)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert 8 <= len(pages) <= 30
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("示例数据") >= len(pages)  # the header mark is on every page
    assert "六、一老一小专题" in text


def test_chapter_two_reports_the_citys_records_as_filled(demo_ws, cat, ind, tmp_path):
    """The national base indicators open chapter 二: a bureau's override shows, needs-data rows say so."""
    from geodata.national import load_national
    from geodata.stores import SQLiteProjectStore

    store = SQLiteProjectStore(tmp_path / "p.sqlite")
    store.save_record(
        2026,
        "b_middle_school",
        "city",
        {"value": 0.5, "manual": True, "department": "教育局", "source_level": "国家"},
        editor="张工",
    )
    out = tmp_path / "r.docx"
    counts = build_report_from_store(
        demo_ws, store, year=2026, out=out, catalogue=cat, indicators=ind, figures=False
    )
    doc = Document(str(out))
    national, _ = load_national(indicator_keys=[d["key"] for d in ind])
    rec_tables = [tb for tb in doc.tables if "评价等级" in [c.text for c in tb.rows[0].cells]]
    assert len(rec_tables) == 4  # 住房 / 小区（社区）/ 街区 / 城区
    assert sum(len(tb.rows) - 1 for tb in rec_tables) == len(national)
    rows = {r.cells[1].text: [c.text for c in r.cells] for tb in rec_tables for r in tb.rows[1:]}
    middle = next(c for c in national if c["key"] == "b_middle_school")
    assert rows[middle["name_zh"]][4] == "50.0%"  # the bureau's override, not the engine's 88 %
    needs = [c for c in national if str(c["method"]).startswith("needs data:")]
    assert all(rows[c["name_zh"]][4] == "待填报" for c in needs)
    assert counts.tables == len(doc.tables)


def test_chapter_four_shows_the_engines_predicted_effect_and_five_the_remeasure(demo_ws, cat, ind, tmp_path):
    """A linked kindergarten project: chapter 四 states the effect closedloop.predict_effect computes."""
    from geodata.stores import SQLiteProjectStore
    from layers.closedloop import predict_effect
    from layers.healthcheck import evaluate, problems
    from reports.healthcheck_report import effect_text

    ev = evaluate(demo_ws.layers, cat, ind, year=2026, level="community")
    pid = problems(ev).query("indicator == 'kindergarten_cov'")["problem_id"].iloc[0]
    unit = pid.split("|")[2]
    comm = demo_ws.layers["communities"].to_crs(4326).set_index("community_id").loc[unit, "geometry"]
    site = comm.representative_point()
    store = SQLiteProjectStore(tmp_path / "p.sqlite")
    prj = store.create(
        {
            "name": "新增幼儿园（示例）",
            "category": "完整社区配套",
            "status": "谋划",
            "decision": "改",
            "geometry_wkt": site.wkt,
        },
        editor="张工",
        problem_ids=[pid],
    )
    out = tmp_path / "r.docx"
    build_report_from_store(
        demo_ws, store, year=2026, compare=2025, out=out, catalogue=cat, indicators=ind, figures=False
    )
    doc = Document(str(out))
    eff = predict_effect(pid, store.get(prj["project_id"]), demo_ws.layers, cat, ind)
    assert eff["predicted"] and eff["value_after"] >= eff["value_before"]
    expected = effect_text(eff, "%", cat, "zh")
    rows = [
        [c.text for c in r.cells]
        for tb in doc.tables
        if "预期成效" in [c.text for c in tb.rows[0].cells]
        for r in tb.rows[1:]
    ]
    assert [r[-1] for r in rows if r[1] == prj["project_id"]] == [expected]
    assert f"{eff['newly_served']:,.0f}" in expected
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "对2025年社区层级的" in text and "建议销号" in text
