"""Runs an ONNX model with onnxruntime on a batch of float32 inputs: RankForge's tests compare its outputs with DL4J's.

    onnx_run.py MODEL.onnx INPUT.f32 N,C,H,W OUTPUT.f32

INPUT.f32 and OUTPUT.f32 are raw little-endian float32 arrays in C order. The model is checked with
onnx.checker first (full check, shapes inferred). Prints one JSON line: the output's shape, the input and output
names and the operator types of the graph.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main(model_path, input_path, shape, output_path):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    dims = [int(d) for d in shape.split(",")]
    x = np.fromfile(input_path, dtype="<f4").reshape(dims)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    inputs = session.get_inputs()
    if len(inputs) != 1:
        raise SystemExit(f"expected one input, the model has {len(inputs)}")
    (y,) = session.run(None, {inputs[0].name: x})
    np.ascontiguousarray(y, dtype="<f4").tofile(output_path)
    print(json.dumps({
        "shape": list(y.shape),
        "input": inputs[0].name,
        "output": session.get_outputs()[0].name,
        "opset": [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")],
        "operators": sorted({n.op_type for n in model.graph.node}),
    }))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
