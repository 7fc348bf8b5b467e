"""Labels of map layers, map labels, legends and charts (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "map.layer.labels": ("地名注记", "Place names"),
    "map.layer.streets": ("道路网", "Street network"),
    "map.layer.subdistricts": ("街道界", "Sub-district boundaries"),
    "map.layer.selected": ("选中城市", "Selected city"),
    "map.tip.prefecture": ("所属设区市", "Prefecture"),
    "map.tip.layout": ("所属格局", "Layout element"),
    "map.legend.boundaries": ("界线", "Boundaries"),
    "map.legend.province": ("省界", "Province boundary"),
    "map.legend.district": ("区界", "District boundary"),
    "map.legend.subdistrict": ("街道界", "Sub-district boundary"),
    "map.legend.tiers": ("城市等级", "City tier"),
    "map.legend.group.compounds": ("居住小区（建成年代）", "Compounds (build year)"),
    "map.legend.group.parcels": ("更新地块（类型）", "Renewal parcels (type)"),
    "map.legend.street.主干路": ("主干路", "Arterial road"),
    "map.legend.street.次干路": ("次干路", "Secondary road"),
    "map.legend.street.支路": ("支路", "Local street"),
    "map.legend.street.步行道": ("步行道", "Footpath"),
    "map.chart.cluster": ("城镇群", "Town cluster"),
}
