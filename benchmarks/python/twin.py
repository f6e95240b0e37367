#!/usr/bin/env python3
"""PyTorch twins of RankForge's zoo networks: same layers, shapes and names as the DL4J networks of
io.rankforge.zoo, loaded with the weights ZooSpeed exported from DL4J (checked on a probe batch: the twin must
compute the same function), then timed for inference (batch 256) and one training pass (the zoo's batch size,
Adam as the zoo trains) on the same number of seeded uniform images. Writes rows in ZooSpeed's twin.csv format.

  twin.py WEIGHTS_DIR OUT_CSV REPEATS TRAIN_IMAGES INFER_IMAGES THREADS MODEL[,MODEL...] [FIRST_REPEAT]

OUT_CSV is appended to (benchmarks/run alternates DL4J's and PyTorch's repeats).
"""
import csv
import os
import sys
import time

import numpy as np
import torch
from torch import nn

BN_EPS = 1e-5  # DL4J's BatchNormalization default, as torch's


class Twin(nn.Module):
    """A network as an ordered list of named steps; 'add' steps sum two earlier outputs (residuals)."""

    def __init__(self, steps):
        super().__init__()
        self.steps = steps
        self.layers = nn.ModuleDict({n: m for n, m, _ in steps if isinstance(m, nn.Module)})

    def forward(self, x, softmax=True):
        out = {"input": x}
        last = "input"
        for name, m, inputs in self.steps:
            if m == "add":
                y = out[inputs[0]] + out[inputs[1]]
            elif m == "flatten":
                y = torch.flatten(out[inputs[0]], 1)
            else:
                y = self.layers[name](out[inputs[0]])
            out[name] = y
            last = name
        return torch.softmax(out[last], 1) if softmax else out[last]


def seq(steps):
    """Chains (name, module) pairs: each reads the previous one's output."""
    chained, prev = [], "input"
    for name, m in steps:
        chained.append((name, m, [prev]))
        prev = name
    return chained


def lenet5():
    return Twin(seq([
        ("conv1", nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU())),
        ("pool1", nn.MaxPool2d(2, 2)),
        ("conv2", nn.Sequential(nn.Conv2d(20, 50, 5), nn.ReLU())),
        ("pool2", nn.MaxPool2d(2, 2)),
        ("flat", "flatten"),
        ("fc1", nn.Sequential(nn.Linear(800, 500), nn.ReLU())),
        ("output", nn.Linear(500, 10)),
    ]))


def vgg_mini():
    steps, cin = [], 1
    for s, w in enumerate([8, 16, 32], start=1):
        for i in (1, 2):
            steps += [(f"conv{s}_{i}", nn.Conv2d(cin, w, 3, padding=1, bias=False)),
                      (f"bn{s}_{i}", nn.BatchNorm2d(w, eps=BN_EPS)), (f"relu{s}_{i}", nn.ReLU())]
            cin = w
        steps.append((f"pool{s}", nn.MaxPool2d(2, 2)))
    steps += [("flat", "flatten"), ("fc1", nn.Sequential(nn.Linear(32 * 3 * 3, 128), nn.ReLU())),
              ("output", nn.Linear(128, 10))]
    return Twin(seq(steps))


def resnet20():
    steps = [("conv1", nn.Conv2d(1, 8, 3, padding=1, bias=False), ["input"]),
             ("bn1", nn.BatchNorm2d(8, eps=BN_EPS), ["conv1"]), ("relu1", nn.ReLU(), ["bn1"]),
             ("pool1", nn.MaxPool2d(2, 2), ["relu1"])]
    last, cin = "pool1", 8
    for s, w in enumerate([8, 16, 32], start=1):
        for b in (1, 2, 3):
            p, stride = f"s{s}b{b}", (2 if s > 1 and b == 1 else 1)
            steps += [(p + "_conv1", nn.Conv2d(cin, w, 3, stride=stride, padding=1, bias=False), [last]),
                      (p + "_bn1", nn.BatchNorm2d(w, eps=BN_EPS), [p + "_conv1"]),
                      (p + "_relu1", nn.ReLU(), [p + "_bn1"]),
                      (p + "_conv2", nn.Conv2d(w, w, 3, padding=1, bias=False), [p + "_relu1"]),
                      (p + "_bn2", nn.BatchNorm2d(w, eps=BN_EPS), [p + "_conv2"])]
            shortcut = last
            if stride != 1:
                steps += [(p + "_proj", nn.Conv2d(cin, w, 1, stride=stride, bias=False), [last]),
                          (p + "_proj_bn", nn.BatchNorm2d(w, eps=BN_EPS), [p + "_proj"])]
                shortcut = p + "_proj_bn"
            steps += [(p + "_add", "add", [p + "_bn2", shortcut]), (p + "_relu", nn.ReLU(), [p + "_add"])]
            last, cin = p + "_relu", w
    steps += [("pool", nn.AdaptiveAvgPool2d(1), [last]), ("flat", "flatten", ["pool"]),
              ("output", nn.Linear(32, 10), ["flat"])]
    return Twin(steps)


MODELS = {"lenet5": (lenet5, 64), "vgg-mini": (vgg_mini, 64), "resnet-20": (resnet20, 64)}


def load_dl4j(model, wdir):
    """Copies ZooSpeed's .npy parameters (DL4J layout) into the twin's modules of the same name."""
    params = {}
    for f in os.listdir(wdir):
        if "__" in f:
            layer, p = f[:-4].split("__")
            params.setdefault(layer, {})[p] = torch.from_numpy(np.load(os.path.join(wdir, f)))
    with torch.no_grad():
        for name, m in model.layers.items():
            if name not in params:
                continue
            p = params.pop(name)
            core = m[0] if isinstance(m, nn.Sequential) else m
            if isinstance(core, nn.Conv2d):
                core.weight.copy_(p["W"])
                if core.bias is not None:
                    core.bias.copy_(p["b"].reshape(-1))
            elif isinstance(core, nn.Linear):
                core.weight.copy_(p["W"].T)  # DL4J: [nIn, nOut]
                core.bias.copy_(p["b"].reshape(-1))
            elif isinstance(core, nn.BatchNorm2d):
                core.weight.copy_(p["gamma"].reshape(-1))
                core.bias.copy_(p["beta"].reshape(-1))
                core.running_mean.copy_(p["mean"].reshape(-1))
                if "var" in p:
                    core.running_var.copy_(p["var"].reshape(-1))
                else:  # DL4J keeps log10 of sqrt(var + eps)
                    core.running_var.copy_((10.0 ** p["log10stdev"].reshape(-1)) ** 2 - BN_EPS)
            else:
                raise SystemExit(f"twin.py: no rule to load DL4J layer {name} into {type(core).__name__}")
    if params:
        raise SystemExit(f"twin.py: DL4J layers without a twin: {sorted(params)}")


def main():
    wroot, out, repeats, n_train, n_infer, threads, models = sys.argv[1:8]
    first = int(sys.argv[8]) if len(sys.argv) > 8 else 0
    repeats, n_train, n_infer, threads = int(repeats), int(n_train), int(n_infer), int(threads)
    torch.set_num_threads(threads)
    # warm-up: at least one pass of each phase, repeated until RANKFORGE_BENCH_WARMUP_S seconds after the start, as
    # ZooSpeed warms the DL4J side up (its JIT compiler needs it; PyTorch has none, the rounds only cost time)
    until = time.perf_counter() + float(os.environ.get("RANKFORGE_BENCH_WARMUP_S", "0"))
    torch.manual_seed(42)
    images = torch.rand(max(n_train, n_infer), 1, 28, 28)
    labels = torch.tensor([(i * 7) % 10 for i in range(images.shape[0])])
    rows = []
    for mid in models.split(","):
        build, batch = MODELS[mid]
        net = build()
        load_dl4j(net, os.path.join(wroot, mid))
        net.eval()
        probe = torch.from_numpy(np.load(os.path.join(wroot, mid, "probe_input.npy")))
        expected = np.load(os.path.join(wroot, mid, "probe_output.npy"))
        with torch.no_grad():
            got = net(probe).numpy()
        diff = float(np.max(np.abs(got - expected)))
        print(f"twin.py: {mid}: same weights as DL4J, max |output difference| on the probe batch {diff:.2e}",
              file=sys.stderr)
        if diff > 1e-4:
            raise SystemExit(f"twin.py: the {mid} twin does not compute DL4J's function (max difference {diff})")
        rows.append(["pytorch", torch.__version__, mid, "probe_max_abs_diff", first, probe.shape[0], 0, diff])

        def infer(b):
            t0 = time.perf_counter()
            with torch.no_grad():
                for i in range(0, n_infer, b):
                    net(images[i:i + b])
            return time.perf_counter() - t0

        net.eval()
        while True:  # warm-up
            infer(256)
            infer(64)
            if time.perf_counter() >= until:
                break
        for r in range(repeats):
            # batch 256 (RankForge's evaluation batch) and the zoo's batch 64, alternated
            for phase, b in (("infer", 256), ("infer-b64", 64)):
                s = infer(b)
                rows.append(["pytorch", torch.__version__, mid, phase, first + r, n_infer, round(s, 4),
                             round(n_infer / s, 1)])
        opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-4)
        loss_fn = nn.CrossEntropyLoss()

        def train(n):
            net.train()
            t0 = time.perf_counter()
            for i in range(0, n - batch + 1, batch):
                opt.zero_grad()
                loss = loss_fn(net(images[i:i + batch], softmax=False), labels[i:i + batch])
                loss.backward()
                opt.step()
            return time.perf_counter() - t0

        while True:  # warm-up
            train(min(n_train, 4 * batch))
            if time.perf_counter() >= until:
                break
        for r in range(repeats):
            s = train(n_train)
            rows.append(["pytorch", torch.__version__, mid, "train", first + r, n_train, round(s, 4), round(n_train / s, 1)])
        print(f"twin.py: {mid} done", file=sys.stderr)
    fresh = not os.path.exists(out)
    with open(out, "a", newline="") as f:
        w = csv.writer(f)
        if fresh:
            w.writerow(["framework", "build", "model", "phase", "repeat", "images", "seconds", "images_per_s"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
