"""Labels of the 城市体检 closed loop: problem map and size, predicted effects, re-measure and 销号 (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    # problem map
    "loop.map.legend": ("问题位置", "Where the problem is"),
    "loop.map.extent": (
        "问题范围（未覆盖区域/计数地块）",
        "Problem extent (unserved area / counted parcels)",
    ),
    "loop.map.selected": ("所选问题单元", "Selected problem's unit"),
    "loop.map.sites": ("对应项目位置", "Linked project sites"),
    # size
    "loop.size.title": ("问题规模", "Size of the problem"),
    "loop.size.residents": ("受影响居民（人）", "Residents affected"),
    "loop.size.households": ("涉及户数（户）", "Households"),
    "loop.size.area.unserved": ("未覆盖面积（公顷）", "Unserved area (ha)"),
    "loop.size.area.parcels": ("涉及地块面积（公顷）", "Parcel area (ha)"),
    "loop.size.area.unit": ("单元面积（公顷）", "Unit area (ha)"),
    "loop.size.note": (
        "受影响居民：覆盖类指标为半径外居民，其他指标为单元全部居民；户数：覆盖类为代表点在半径外的小区户数，计数类为计数地块户数，其他为单元内小区户数；面积：覆盖类为单元内不在任一设施半径（直线）内的面积，计数类为计数地块面积。",
        "Residents affected: residents beyond the radius for coverage indicators, all residents of the unit otherwise. Households: compounds whose representative point is beyond the radius (coverage), households of the counted parcels (counts), or all compounds of the unit. Area: the part of the unit outside every facility's straight-line radius (coverage) or the counted parcels' area (counts).",
    ),
    # predicted effect
    "loop.effect.title": (
        "对应项目的预期成效（引擎测算）",
        "Predicted effect of the linked projects (computed by the engine)",
    ),
    "loop.effect.none": ("该问题尚未对应项目。", "No project is linked to this problem yet."),
    "loop.effect.col.project": ("项目", "Project"),
    "loop.effect.col.status": ("状态", "Status"),
    "loop.effect.col.facility": ("按设施测算", "Modelled as"),
    "loop.effect.col.before": ("现状值", "Value now"),
    "loop.effect.col.after": ("实施后", "After the project"),
    "loop.effect.col.grade_after": ("实施后评级", "Grade after"),
    "loop.effect.col.newly": ("本单元新增覆盖居民（人）", "Newly served residents in the unit"),
    "loop.effect.col.newly_total": ("全市新增覆盖居民（人）", "Newly served residents, city-wide"),
    "loop.effect.col.note": ("说明", "Note"),
    "loop.effect.parcel": ("地块完成治理后不再计入", "the parcel no longer counts once completed"),
    "loop.why.no_geometry": (
        "无法测算：项目没有位置（请在项目库补充几何）",
        "Cannot predict: the project has no location (add its geometry in the library)",
    ),
    "loop.why.no_facility": (
        "无法测算：项目类别“{detail}”不对应任何设施类型",
        "Cannot predict: category '{detail}' provides no facility type",
    ),
    "loop.why.wrong_facility": (
        "无法测算：项目提供的是{detail}，与该指标无关",
        "Cannot predict: the project provides {detail}, not what this indicator measures",
    ),
    "loop.why.not_modelled": (
        "无法测算：引擎不模拟项目对该类指标的影响（需项目的新增车位、改造户数等数据）",
        "Cannot predict: the engine does not model a project's effect on this kind of indicator (needs e.g. the parking spaces or households the project adds)",
    ),
    "loop.why.no_parcel": (
        "无法测算：项目未关联计数地块",
        "Cannot predict: the project is not tied to a counted parcel",
    ),
    "loop.why.parcel_not_counted": (
        "无法测算：项目地块{detail}不在该指标的计数中",
        "Cannot predict: the project's parcel {detail} is not counted by this indicator",
    ),
    "loop.effect.method_title": ("测算方法与设施对应规则", "Method and how projects map to facilities"),
    "loop.effect.method": (
        "测算方法：项目视为在其位置（几何代表点）于体检年度新开的一处设施，由体检引擎重新评价该指标，并由情景分析引擎计算新增覆盖居民（直线距离、目录半径）。项目库没有“设施类型”字段：项目名称含设施名称时（如选址页生成的“新增幼儿园（选址…）”）按该设施测算；否则按类别——“完整社区配套”视为提供其所对应覆盖类指标的设施，“停车设施”为公共停车场；危旧房/预制板治理项目视为其地块在体检年度完成治理。",
        "Method: the project is treated as a facility opened in the survey year at its site (the representative point of its geometry); the health-check engine re-evaluates the indicator and the what-if engine counts the newly served residents (straight line, catalogue radius). The library has no facility-type field: a project whose name names a facility (e.g. the siting page's '新增幼儿园（选址…）') is that facility; otherwise its category decides — 完整社区配套 provides the facility of the coverage indicator it is linked to, 停车设施 a public car park; a dangerous-housing / precast-slab project counts its parcel as completed in the survey year.",
    ),
    # 完整社区 items without data (coverage page gap table)
    "loop.col.unevaluated": ("无法评价：缺少数据", "Cannot evaluate: needs data"),
    # re-measure and closing
    "loop.review.title": ("复查销号", "Re-measure and close"),
    "loop.review.caption": (
        "{y0}年问题用{y1}年体检结果复查：达标的建议销号；对应项目全部完工但仍未达标的单独列出；其余结转下一年。",
        "Problems of {y0} re-measured with the {y1} survey: those now meeting the target are proposed for closing; those whose linked projects are all complete but still fail are flagged; the rest are carried over.",
    ),
    "loop.metric.proposals": ("建议销号", "Proposed for closing"),
    "loop.metric.flagged": ("项目完工仍未达标", "Projects complete, still failing"),
    "loop.metric.carried": ("结转", "Carried over"),
    "loop.metric.closed": ("已销号", "Closed"),
    "loop.proposals": ("建议销号（复查达标）", "Proposed for closing (re-measure passes)"),
    "loop.flagged": (
        "对应项目已全部完工但指标仍未达标",
        "Linked projects all complete but the indicator still fails",
    ),
    "loop.closed": ("已销号问题", "Closed problems"),
    "loop.none": ("无", "None"),
    "loop.col.problem_year": ("问题年度", "Problem year"),
    "loop.col.before": ("问题年度值", "Value then"),
    "loop.col.after": ("复查值", "Re-measured value"),
    "loop.col.closed_in": ("销号年度", "Closed in"),
    "loop.col.editor": ("销号人", "Closed by"),
    "loop.col.time": ("时间（北京时间）", "Time (Beijing)"),
    "loop.col.note": ("备注", "Note"),
    "loop.col.override": ("管理员强制", "Admin override"),
    "loop.pick": ("选择要销号的问题", "Problem to close"),
    "loop.note": ("备注（可选）", "Note (optional)"),
    "loop.confirm": ("确认销号", "Confirm closing"),
    "loop.confirm_all": ("全部确认销号（{n}项）", "Confirm all ({n})"),
    "loop.closed_ok": ("已销号 {n} 项。", "Closed {n} problem(s)."),
    "loop.override.title": (
        "管理员强制销号（复查未达标，须填写说明）",
        "Admin override (re-measure still fails; a note is required)",
    ),
    "loop.override.pick": ("选择问题", "Problem"),
    "loop.override.note": ("说明（必填）", "Note (required)"),
    "loop.override.button": ("强制销号", "Close anyway"),
    "loop.reopen.pick": ("选择要恢复的已销号问题", "Closed problem to reopen"),
    "loop.reopen.button": ("撤销销号", "Reopen"),
    "loop.reopened": ("已撤销销号。", "Reopened."),
    "loop.viewer": (
        "只读账号：可查看复查结果，销号需编辑权限。",
        "Read-only account: you can see the re-measure; closing needs an editor.",
    ),
    "loop.error": ("操作未保存：{why}", "Not saved: {why}"),
    "loop.status.propose_close": ("建议销号", "Propose closing"),
    "loop.status.complete_but_failing": ("项目完工仍未达标", "Complete but failing"),
    "loop.status.carried_over": ("结转", "Carried over"),
    "loop.status.not_measured": ("未复查", "Not re-measured"),
}
