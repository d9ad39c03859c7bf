"""The scorecard as an ONNX graph, built node by node (skl2onnx cannot convert a binning process).

Input `features`: double [N, F], columns in the card's feature order. Numeric features are raw values;
categorical features are the bin index the card's `categories` map gives (the runtime encodes them). Doubles
throughout: a float32 can land on the other side of a bin edge.

Per feature: bin index = number of edges ≤ x (so a value exactly on an edge goes to the upper bin, as
optbinning bins); NaN, an out-of-range or fractional category index → the neutral bin (WOE 0); then the bin's
points. Outputs: `score` [N,1] (sum of points), `pd` [N,1] = sigmoid((offset − score) / factor), `points`
[N,F], `reason_index` / `reason_gap` [N,4]: the four features furthest below their best points.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
REASONS = 4


def build_graph(card: dict) -> onnx.ModelProto:
    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: object) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=f"{op}_{output}", **attrs))
        return output

    const("axis1", np.array([1], dtype=np.int64))
    const("zero_d", np.array(0.0))
    point_columns = []
    for j, feature in enumerate(card["features"]):
        name = feature["name"]
        column = node(
            "Slice",
            [
                "features",
                const(f"{name}_start", np.array([j], np.int64)),
                const(f"{name}_end", np.array([j + 1], np.int64)),
                "axis1",
            ],
            f"{name}_x",
        )
        points = [b["points"] for b in feature["bins"]] + [feature["neutral_points"]]
        table = const(f"{name}_points", np.array(points, dtype=np.float64))
        neutral = const(f"{name}_neutral", np.array(len(points) - 1, dtype=np.int64))
        if feature["kind"] == "numeric":
            edges = const(f"{name}_edges", np.array(feature["edges"], dtype=np.float64))
            at_or_above = node("GreaterOrEqual", [column, edges], f"{name}_ge")
            counted = node("Cast", [at_or_above], f"{name}_ge_int", to=TensorProto.INT64)
            index = node("ReduceSum", [counted, "axis1"], f"{name}_bin", keepdims=1)
            missing = node("IsNaN", [column], f"{name}_nan")
            index = node("Where", [missing, neutral, index], f"{name}_index")
        else:
            count = const(f"{name}_count", np.array(len(feature["bins"]), dtype=np.float64))
            low_ok = node("GreaterOrEqual", [column, "zero_d"], f"{name}_low")
            high_ok = node("Less", [column, count], f"{name}_high")
            whole = node("Equal", [node("Floor", [column], f"{name}_floor"), column], f"{name}_whole")
            valid = node("And", [node("And", [low_ok, high_ok], f"{name}_range"), whole], f"{name}_valid")
            safe = node("Where", [valid, column, "zero_d"], f"{name}_safe")
            as_int = node("Cast", [safe], f"{name}_int", to=TensorProto.INT64)
            index = node("Where", [valid, as_int, neutral], f"{name}_index")
        point_columns.append(node("Gather", [table, index], f"{name}_pts", axis=0))
    points = node("Concat", point_columns, "points", axis=1)
    node("ReduceSum", [points, "axis1"], "score", keepdims=1)
    scaling = card["scaling"]
    shifted = node("Sub", [const("offset", np.array(scaling["offset"])), "score"], "logit_num")
    logit = node("Div", [shifted, const("factor", np.array(scaling["factor"]))], "logit_bad")
    node("Sigmoid", [logit], "pd")
    best = const("max_points", np.array([f["max_points"] for f in card["features"]], dtype=np.float64))
    gaps = node("Sub", [best, points], "gaps")
    k = const("k", np.array([min(REASONS, len(card["features"]))], dtype=np.int64))
    nodes.append(
        helper.make_node(
            "TopK", [gaps, k], ["reason_gap", "reason_index"], name="TopK_reasons", axis=1, largest=1, sorted=1
        )
    )

    n_features = len(card["features"])
    graph = helper.make_graph(
        nodes,
        "fenqi_scorecard",
        [helper.make_tensor_value_info("features", TensorProto.DOUBLE, ["N", n_features])],
        [
            helper.make_tensor_value_info("score", TensorProto.DOUBLE, ["N", 1]),
            helper.make_tensor_value_info("pd", TensorProto.DOUBLE, ["N", 1]),
            helper.make_tensor_value_info("points", TensorProto.DOUBLE, ["N", n_features]),
            helper.make_tensor_value_info("reason_index", TensorProto.INT64, ["N", REASONS]),
            helper.make_tensor_value_info("reason_gap", TensorProto.DOUBLE, ["N", REASONS]),
        ],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="fenqi-train")
    model.ir_version = 8  # readable by onnxruntime releases from 1.14 on
    model.doc_string = (
        f"{card['version']}: WOE scorecard, points scaled {scaling['base_score']:.0f} at "
        f"{scaling['base_odds']:.0f}:1, PDO {scaling['pdo']:.0f}"
    )
    onnx.checker.check_model(model, full_check=True)
    return model
