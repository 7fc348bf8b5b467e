"""Field and category mapping; saved mappings merge and survive concurrent saves."""

import json
import threading

from geodata.catalogue import load_catalogue
from geodata.importing import load_saved_mapping, map_categories, mapping_path, save_mapping, suggest_mapping
from geodata.schema import LAYERS


def test_category_mapping():
    m = map_categories(
        ["幼儿园", "社区卫生服务站", "XX街道养老服务站", "kindergarten", "未知"], load_catalogue()
    )
    assert m == {
        "幼儿园": "kindergarten",
        "社区卫生服务站": "health_station",
        "XX街道养老服务站": "elderly_daycare",
        "kindergarten": "kindergarten",
        "未知": None,
    }


def test_suggest_mapping_uses_chinese_headers():
    m = suggest_mapping(["设施名称", "类别", "备注"], LAYERS["facilities"])
    assert m["name"] == "设施名称" and m["type"] == "类别" and m["capacity"] is None


def test_saved_mappings_merge_and_concurrent_saves_lose_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    save_mapping({"托幼": "kindergarten", "未知": None})
    assert load_saved_mapping() == {"托幼": "kindergarten"}  # unmapped entries are not saved

    def worker(k):
        for i in range(20):
            save_mapping({f"类{k}-{i}": "market"})

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    saved = json.loads(mapping_path().read_text(encoding="utf-8"))
    assert len(saved) == 1 + 4 * 20
