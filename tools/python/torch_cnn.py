"""Trains a small CNN with PyTorch on the images RankForge's test gives it, exports it with torch.onnx.export and
writes PyTorch's own outputs for a batch of probe images, so the test can check RankForge's ONNX import against them.

    torch_cnn.py --images X.f32 --labels Y.u8 --count N --probe P.f32 --probe-count M \
                 --variant residual|gap|sigmoid|grouped --opset 13 --exporter legacy|dynamo \
                 --epochs 3 --lr 0.005 --seed 7 --out MODEL.onnx --probe-out OUT.f32

X.f32: N Fashion-MNIST images as raw little-endian float32 [N, 1, 28, 28], pixels in [0, 1] (RankForge's
preprocessing); Y.u8: their labels. P.f32: M probe images, same layout; OUT.f32 gets the model's outputs for them
(float32 [M, 10]). Variants:
  residual  Conv+BN+ReLU, MaxPool, BatchNorm on its own, a residual block (two convolutions, a 1x1 projection, Add),
            AveragePool, a non-square 3x1 convolution, x.view(x.size(0), -1) (Shape, Gather, Unsqueeze, Concat,
            Reshape from the TorchScript exporter), Linear+ReLU, Dropout, Linear (Gemm); outputs logits;
  gap       strided convolutions with a non-square kernel, GlobalAveragePool (ReduceMean from torch.export), and a
            classifier written as matmul + add (MatMul and Add in ONNX) and softmax; outputs probabilities;
  sigmoid   a Sigmoid activation (unsupported by RankForge's importer; not trained);
  grouped   a grouped convolution, groups = 2 (unsupported; not trained).
Prints one JSON line: training accuracy of the last epoch, the ONNX operators and the opset.
"""
import argparse
import json

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.pool1 = nn.MaxPool2d(2)  # 28 -> 14
        self.bn_pool = nn.BatchNorm2d(8)  # after pooling: stays a BatchNormalization node
        self.block_conv1 = nn.Conv2d(8, 16, 3, padding=1, bias=False)
        self.block_bn1 = nn.BatchNorm2d(16)
        self.block_conv2 = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.block_bn2 = nn.BatchNorm2d(16)
        self.proj = nn.Conv2d(8, 16, 1, bias=False)
        self.pool2 = nn.AvgPool2d(2)  # 14 -> 7
        self.conv3 = nn.Conv2d(16, 16, (3, 1), padding=(1, 0))
        self.fc1 = nn.Linear(16 * 7 * 7, 32)
        self.drop = nn.Dropout(0.25)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.bn_pool(self.pool1(F.relu(self.bn1(self.conv1(x)))))
        y = F.relu(self.block_bn1(self.block_conv1(x)))
        y = self.block_bn2(self.block_conv2(y))
        x = F.relu(y + self.proj(x))
        x = F.relu(self.conv3(self.pool2(x)))
        x = x.view(x.size(0), -1)  # the TorchScript exporter writes Shape, Gather, Unsqueeze, Concat, Reshape
        return self.fc2(self.drop(F.relu(self.fc1(x))))


class Gap(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, stride=2, padding=1)  # 28 -> 14
        self.conv2 = nn.Conv2d(8, 16, (3, 2), stride=(2, 1), padding=(1, 0))  # 14x14 -> 7x13
        self.bn2 = nn.BatchNorm2d(16)
        self.conv3 = nn.Conv2d(16, 24, 3, padding=1)
        self.weight = nn.Parameter(torch.randn(24, 10) * 0.1)
        self.bias = nn.Parameter(torch.zeros(10))

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.conv3(x))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return torch.softmax(torch.matmul(x, self.weight) + self.bias, dim=1)


class SigmoidNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.fc = nn.Linear(4 * 26 * 26, 10)

    def forward(self, x):
        return self.fc(torch.sigmoid(self.conv1(x)).flatten(1))


class Grouped(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 4, 3, groups=2)
        self.fc = nn.Linear(4 * 24 * 24, 10)

    def forward(self, x):
        return self.fc(F.relu(self.conv2(F.relu(self.conv1(x)))).flatten(1))


VARIANTS = {"residual": Residual, "gap": Gap, "sigmoid": SigmoidNet, "grouped": Grouped}


def images(path, count):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(count, 1, 28, 28).copy())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images")
    p.add_argument("--labels")
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--probe", required=True)
    p.add_argument("--probe-count", type=int, required=True)
    p.add_argument("--variant", required=True, choices=sorted(VARIANTS))
    p.add_argument("--opset", type=int, required=True)
    p.add_argument("--exporter", choices=["legacy", "dynamo"], default="legacy")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--out", required=True)
    p.add_argument("--probe-out", required=True)
    a = p.parse_args()

    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    model = VARIANTS[a.variant]()
    accuracy = None
    if a.count > 0 and a.variant in ("residual", "gap"):
        x = images(a.images, a.count)
        y = torch.from_numpy(np.fromfile(a.labels, dtype=np.uint8).astype(np.int64))
        optimiser = torch.optim.Adam(model.parameters(), lr=a.lr)
        for _ in range(a.epochs):
            model.train()
            order = torch.randperm(a.count)
            correct = 0
            for i in range(0, a.count, 64):
                idx = order[i:i + 64]
                optimiser.zero_grad()
                logits = model(x[idx])
                loss = F.nll_loss(torch.log(logits + 1e-12), y[idx]) if a.variant == "gap" else F.cross_entropy(logits, y[idx])
                loss.backward()
                optimiser.step()
                correct += int((logits.argmax(1) == y[idx]).sum())
            accuracy = correct / a.count
    model.eval()
    probe = images(a.probe, a.probe_count)
    with torch.no_grad():
        out = model(probe).numpy().astype("<f4")
    out.tofile(a.probe_out)

    example = (probe[:2],)
    if a.exporter == "legacy":
        torch.onnx.export(
            model, example, a.out, opset_version=a.opset, dynamo=False,
            input_names=["input"], output_names=["logits"],
            dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
            # keeps batch norm as BatchNormalization nodes rather than folding it into the convolutions
            training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    else:
        torch.onnx.export(
            model, example, a.out, opset_version=a.opset, dynamo=True,
            input_names=["input"], output_names=["logits"],
            dynamic_shapes={"x": {0: torch.export.Dim("N", min=1, max=4096)}})
    m = onnx.load(a.out)
    print(json.dumps({
        "train_accuracy": accuracy,
        "opset": [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")],
        "operators": sorted({n.op_type for n in m.graph.node}),
        "nodes": [n.name for n in m.graph.node],
    }))


if __name__ == "__main__":
    main()
