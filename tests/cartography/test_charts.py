"""Charts share the maps' colours: explicit domain/range, translated titles and values, no field names."""

import json

import pandas as pd
import pytest

from cartography.charts import category_bar, cluster_chart, share_bar, stacked_bar
from cartography.colours import PARCEL_TYPE_COLOURS, SHARE_SCALE, STATUS_COLOURS, domain_range
from geodata.boundaries import load_boundaries
from geodata.layout import LAYOUT_TOML, load_layout
from layers.layout import layout_summary

EN_TYPES = {
    "老旧小区": "Old compound",
    "老旧厂区": "Old factory",
    "城中村": "Urban village",
    "危旧房": "Dangerous housing",
    "预制板房屋": "Precast-slab housing",
    "低效用地": "Low-efficiency land",
}


def _spec(chart) -> dict:
    return chart.to_dict()


def _scales(spec) -> list[dict]:
    """Every colour scale in a (possibly concatenated) Vega-Lite spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            colour = node.get("color")
            if isinstance(colour, dict) and "scale" in colour:
                found.append(colour["scale"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def test_domain_range_follows_palette_order():
    domain, colours = domain_range(PARCEL_TYPE_COLOURS, EN_TYPES)
    assert domain[0] == "Old compound" and colours[0] == PARCEL_TYPE_COLOURS["老旧小区"]
    assert len(domain) == len(colours) == 6


def test_category_bar_uses_map_colours_and_translated_names():
    df = pd.DataFrame({"parcel_type": ["城中村", "老旧小区"], "n": [12, 1500]})
    spec = _spec(
        category_bar(
            df,
            category="parcel_type",
            value="n",
            colours=PARCEL_TYPE_COLOURS,
            labels=EN_TYPES,
            x_title="Parcel type",
            y_title="Parcels",
        )
    )
    [scale] = _scales(spec)
    assert scale["domain"] == list(EN_TYPES.values())
    assert scale["range"] == list(PARCEL_TYPE_COLOURS.values())
    text = json.dumps(spec, ensure_ascii=False)
    assert "Urban village" in text and "城中村" not in text  # values translated, raw key gone
    assert "parcel_type" not in text  # no field name reaches the screen
    assert '"format": ",.0f"' in text  # thousands separators on the axis


def test_stacked_bar_colours_the_stack_with_status_palette():
    df = pd.DataFrame(
        {
            "parcel_type": ["城中村", "城中村", "老旧小区"],
            "status": ["储备", "完工", "储备"],
            "count": [3, 1, 1200],
        }
    )
    labels = {
        "储备": "Candidate",
        "谋划": "Planned",
        "立项": "Approved",
        "实施": "Under way",
        "完工": "Completed",
    }
    spec = _spec(
        stacked_bar(
            df,
            category="parcel_type",
            stack="status",
            value="count",
            colours=STATUS_COLOURS,
            stack_labels=labels,
            category_labels=EN_TYPES,
            x_title="Type",
            y_title="Parcels",
            legend_title="Status",
        )
    )
    [scale] = _scales(spec)
    assert scale["domain"] == list(labels.values()) and scale["range"] == list(STATUS_COLOURS.values())
    text = json.dumps(spec, ensure_ascii=False)
    assert '"title": "Status"' in text and "储备" not in text and '"field": "status"' not in text


def test_share_bar_uses_coverage_map_classes():
    spec = _spec(
        share_bar(
            pd.DataFrame({"d": ["东湖区"], "s": [0.45]}),
            category="d",
            share="s",
            x_title="区",
            y_title="覆盖率",
        )
    )
    [scale] = _scales(spec)
    assert scale["type"] == "threshold"
    assert scale["domain"] == list(SHARE_SCALE.breaks) and scale["range"] == list(SHARE_SCALE.colours)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cluster_chart_colours_equal_layout_map(lang):
    bnd = load_boundaries()
    layout = load_layout(LAYOUT_TOML, boundaries=bnd)
    summary = layout_summary(bnd.prefectures, bnd.counties, layout, lang=lang)
    chart = cluster_chart(summary, layout, lang=lang, measures={"area_km2": "km²", "county_count": "n"})
    scales = _scales(_spec(chart))
    assert len(scales) == 2
    names = [k.name_en if lang == "en" else k.name_zh for k in layout.clusters]
    for scale in scales:
        assert scale["domain"] == names
        assert scale["range"] == [k.colour for k in layout.clusters]
