"""md_escape: user text shown with st.markdown / st.caption / st.title renders as the same text, never as
an image, a link, HTML, an entity or a Streamlit directive (rendered here with CommonMark + GFM tables)."""

import pytest
from markdown_it import MarkdownIt

from dashboard.common import md_escape

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "![x](http://evil.invalid/x.png)",
    "[点我](javascript:alert(1))",
    "<img src=http://evil.invalid/x.png>",
    "<img src=x onerror=window.__xss=1>",
    "<http://evil.invalid/x>",
    "![x][r]\n\n[r]: http://evil.invalid/x.png",
    "标题\n===",
    "&lt;b&gt;",
    ":red[红] :material/home:",
    "**粗** _斜_ `code` $x$",
]


def _text(html: str) -> str:
    import html as h
    import re

    return h.unescape(re.sub(r"</?p>\n?", "", html))


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_renders_only_the_text(text):
    html = MD.render(md_escape(text))
    assert "<img" not in html and "<a " not in html and "<h1" not in html and "<strong" not in html
    assert "<code" not in html and "<em" not in html
    assert _text(html).strip() == " ".join(text.splitlines()).strip()


def test_nul_dropped_and_lines_joined():
    assert md_escape("a\x00b\nc") == "ab c"
