"""Exports small PyTorch models, one per layer pattern RankForge's ONNX import must read exactly, with both
torch.onnx.export exporters, and writes PyTorch's outputs for the probe images: RankForge's test imports each and
compares. Weights are PyTorch's seeded random initialisation (batch-norm statistics drawn too): the patterns, not
the training, are under test.

    torch_patterns.py --probe P.f32 --probe-count M --out DIR

P.f32: M images, raw little-endian float32 [M, 1, 28, 28]. Writes DIR/<pattern>-<exporter>.onnx (torch.export
also writes <...>.onnx.data) and DIR/<pattern>.f32 (outputs, float32 [M, 10]); prints one JSON line listing the
files and each model's ONNX operators.
"""
import argparse
import json

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F


class ReshapeSame(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding="same")
        self.fc = nn.Linear(4 * 28 * 28, 10)

    def forward(self, x):
        return self.fc(F.relu(self.conv(x)).reshape(-1, 4 * 28 * 28))


def patterns():
    return {
        # PyTorch's default count_include_pad=True, and False
        "avgpool-pad-include": nn.Sequential(
            nn.Conv2d(1, 4, 3), nn.ReLU(inplace=True), nn.AvgPool2d(3, 2, padding=1, count_include_pad=True),
            nn.Flatten(), nn.Linear(4 * 13 * 13, 10)),
        "avgpool-pad-exclude": nn.Sequential(
            nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AvgPool2d(3, 2, padding=1, count_include_pad=False),
            nn.Flatten(), nn.Linear(4 * 13 * 13, 10)),
        # max pooling over padding after a LeakyReLU (negative values), Dropout2d, BatchNorm1d after Linear
        "maxpool-pad-bn1d": nn.Sequential(
            nn.Conv2d(1, 4, 3), nn.LeakyReLU(0.1), nn.MaxPool2d(3, 2, padding=1), nn.Dropout2d(0.3), nn.Flatten(),
            nn.Linear(4 * 13 * 13, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 10)),
        # padding="same", x.reshape(-1, n)
        "reshape-same": ReshapeSame(),
        # ceil_mode=True where it adds a row and a column (25x25 -> 13x13): refused by the import, naming the node
        "maxpool-ceil": nn.Sequential(
            nn.Conv2d(1, 4, 4), nn.MaxPool2d(2, 2, ceil_mode=True), nn.Flatten(), nn.Linear(4 * 13 * 13, 10)),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--probe", required=True)
    p.add_argument("--probe-count", type=int, required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.manual_seed(11)
    torch.set_num_threads(1)
    x = torch.from_numpy(np.fromfile(a.probe, dtype="<f4").reshape(a.probe_count, 1, 28, 28).copy())
    report = {}
    for name, model in patterns().items():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.running_mean.uniform_(-1, 1)
                m.running_var.uniform_(0.5, 2)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.5, 0.5)
        model.eval()
        with torch.no_grad():
            model(x).numpy().astype("<f4").tofile(f"{a.out}/{name}.f32")
        legacy = f"{a.out}/{name}-legacy.onnx"
        torch.onnx.export(model, (x[:2],), legacy, opset_version=13, dynamo=False, input_names=["input"],
                          output_names=["scores"], dynamic_axes={"input": {0: "N"}, "scores": {0: "N"}})
        dynamo = f"{a.out}/{name}-dynamo.onnx"
        argument = "x" if isinstance(model, ReshapeSame) else "input"
        torch.onnx.export(model, (x[:2],), dynamo, opset_version=18, dynamo=True,
                          dynamic_shapes={argument: {0: torch.export.Dim("N", min=1, max=4096)}})
        report[name] = {f: sorted({n.op_type for n in onnx.load(f).graph.node}) for f in (legacy, dynamo)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
