"""``cli.py healthcheck-report``: the last line's counts match the document; bad input exits 2 with a message."""

import os
import re
import subprocess
import sys

import pytest
from docx import Document

from geodata.paths import REPO_ROOT


def run(tmp_path, *args):
    env = os.environ | {"RENEWAL_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "cli.py", "healthcheck-report", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_last_line_counts_the_document(tmp_path, demo_gpkg):
    out = tmp_path / "体检报告.docx"
    proc = run(
        tmp_path, "--workspace", str(demo_gpkg), "--year", "2026", "--compare", "2025", "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"chapters=(\d+) tables=(\d+) figures=(\d+)", last)
    assert m, last
    doc = Document(str(out))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert (int(m[1]), int(m[2]), int(m[3])) == (len(headings), len(doc.tables), len(doc.inline_shapes))
    assert headings[0] == "一、总体情况" and int(m[3]) == 4
    # the demo's seeded library has 20 links (18 problems): chapter 四 lists every link
    assert any(tb.rows[0].cells[0].text == "问题（单元 · 指标）" and len(tb.rows) == 21 for tb in doc.tables)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "2019", "--out", "{tmp}/r.docx"], "no survey data for 2019"),
        (["--year", "2026", "--compare", "2010", "--out", "{tmp}/r.docx"], "no survey data for 2010"),
        (["--year", "2026", "--out", "{tmp}/missing/r.docx"], "output folder does not exist"),
        (["--year", "2026", "--out", "{tmp}/r.pdf"], "must be a .docx"),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, args, message):
    proc = run(tmp_path, *[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == 2 and message in proc.stderr
    assert not (tmp_path / "r.docx").exists()


def test_unwritable_folder_exits_2(tmp_path):
    if os.geteuid() == 0:
        target = "/proc/r.docx"  # root may write anywhere else
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        target = str(ro / "r.docx")
    proc = run(tmp_path, "--year", "2026", "--out", target)
    assert proc.returncode == 2 and "cannot write" in proc.stderr
