"""一老一小 map: subdistricts coloured by the served share of the group, legend with units, escaped names."""

import pandas as pd

from cartography.colours import share_colour
from cartography.equity import equity_map
from geodata.workspace import Workspace

IMG = "<img src=x onerror=window.__xss=1>"


def test_colours_legend_and_escaped_names(demo_ws):
    layers = dict(demo_ws.layers)
    subs = layers["subdistricts"].copy()
    subs.loc[subs.index[0], "name"] = IMG
    layers["subdistricts"] = subs
    ws = Workspace(demo_ws.path, layers, demo_ws.metadata)
    ids = subs["subdistrict_id"].tolist()
    cov = pd.DataFrame(
        {
            "subdistrict_id": ids[:2],
            "group": "children_3_6",
            "residents": [100.0, 50.0],
            "served": [10.0, 45.0],
        }
    ).assign(share=lambda d: d["served"] / d["residents"])
    fac = demo_ws["facilities"][demo_ws["facilities"]["type"] == "kindergarten"].head(3)
    html = (
        equity_map(ws, cov, "children_3_6", "zh", facilities=fac, facility_label="幼儿园").get_root().render()
    )
    assert IMG not in html and "\\u003cimg src=x" not in html and "&lt;img src=x" in html
    # 10 % → the first class, 90 % → the last; a subdistrict without residents of the group → no data grey
    assert share_colour(0.1) in html and share_colour(0.9) in html and share_colour(float("nan")) in html
    assert "3–6岁幼儿覆盖率（按人口）" in html and "0–20%" in html and "80–100%" in html
    assert "幼儿园（放大前按数量聚合）" in html
