"""A small AMap place-search export (GCJ-02 locations in 青山湖区), shared by the CLI and the page tests."""

COLS = ["id", "name", "type", "typecode", "address", "location", "pname", "cityname", "adname"]


def poi(pid: str, name: str, kind: str, code: str, location: str) -> list[str]:
    """One export row as AMap writes it (address left empty)."""
    return [pid, name, kind, code, "", location, "江西省", "南昌市", "青山湖区"]


def sample_rows() -> list[list[str]]:
    """A kindergarten, a primary school and two universities (code 141201, not in the typecode table); a new
    list on every call, so a test may edit it."""
    return [
        poi("B01", "青山湖幼儿园", "科教文化服务;学校;幼儿园", "141204", "115.9521,28.6843"),
        poi("B02", "八一小学", "科教文化服务;学校;小学", "141203", "115.9421,28.6803"),
        poi("B03", "某大学", "科教文化服务;学校;高等院校", "141201", "115.9621,28.6903"),
        poi("B04", "另一大学", "科教文化服务;学校;高等院校", "141201", "115.9661,28.6913"),
    ]
