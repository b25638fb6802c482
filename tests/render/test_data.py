import json
from typing import Any

from briefgen.render.data import render_json


def test_render_json_writes_what_json_dumps_writes() -> None:
    data: dict[str, Any] = {
        "text": 'é "quoted"\n\u2028 \x00 ☃',
        "numbers": [0, -3, 2.5, -0.0, 1e300, 1e-7, float("nan"), float("inf"), 10**30],
        "flags": [True, False, None],
        "nested": {"empty": {}, "none": [], "pair": (1, {"a": [{}]})},
        "keys": {1: "int", 2.0: "float", None: "null"},
    }
    assert render_json(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert render_json({}) == "{}\n"
