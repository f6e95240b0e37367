"""Training steps of a zoo network's PyTorch twin (benchmarks/python/twin.py) at one thread, for
benchmarks/onednn-breakdown --pytorch: seeded images, the zoo's batch size, Adam as twin.py trains. Prints a marker
line before the measured steps (so a oneDNN verbose log can be cut there) and the time per step after them.

    python3 benchmarks/python/twin_steps.py MODEL STEPS
"""
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twin  # noqa: E402


def main():
    model, steps = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(1)
    torch.manual_seed(42)
    build, batch = twin.MODELS[model]
    net = build()
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, 1, 28, 28)
    y = torch.tensor([(i * 7) % 10 for i in range(batch)])

    def step():
        opt.zero_grad()
        loss_fn(net(x, softmax=False), y).backward()
        opt.step()

    for _ in range(5):  # warm-up: the first steps create oneDNN's primitives
        step()
    print("twin_steps: measured steps start", flush=True)
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    ms = (time.perf_counter() - t0) / steps * 1000
    print(f"twin_steps: {model}: {steps} steps of {batch} images, {ms:.1f} ms per step after the first 5", flush=True)


if __name__ == "__main__":
    main()
