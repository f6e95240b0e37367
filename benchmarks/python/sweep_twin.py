#!/usr/bin/env python3
"""A sweep's trials run by PyTorch: the same trials (layers, ranks, which ones are fine-tuned) that a RankForge sweep
ran, read from its trials table, each one built as the PyTorch twin of the decomposed network (twin.py's zoo network
with every configured layer replaced by RankForge's two factor layers) and put through the phases of a RankForge
trial, on the same number of worker processes as the sweep had slots, one thread each:

  build       the decomposed twin (RankForge: slicing the precomputed factors, `decompose`)
  recalibrate batch-norm statistics re-estimated from CALIBRATION images, no gradient (train-mode forward in chunks
              of EVAL_BATCH with cumulative averages: the cost of one inference pass over them, as RankForge's pass)
  evaluate    top-1 accuracy on TEST images in batches of EVAL_BATCH, inference mode
  fine-tune   fine-tuned trials only: one epoch over TRAIN images, batch 64, shuffled, Adam (lr 0.001), L2 1e-4
  evaluate    again after fine-tuning

Speed only: the weights are random (PyTorch's initialisation) and the images seeded uniform [0, 1), so accuracies
mean nothing; the time of every phase does not depend on the values. The layer shapes are RankForge's: the script
recomputes each trial's MACs ratio over its configured layers from the twin's own modules and stops if it differs
from the flops_ratio in the trials table (relative 1e-9).

  sweep_twin.py RUN_DIR OUT_CSV COMMIT [EVAL_BATCH [CALIBRATION TEST TRAIN]]

RUN_DIR is a sweep's output (RUN_DIR/trials.arrow, RUN_DIR/_runs/sweep-*.json); defaults 64, then 500 1000 1000 (the
quickstart's). RankForge evaluates in batches of 256; PyTorch's default here is 64 because its CPU convolutions are
several times slower at 256 on these small networks (benchmarks/RESULTS.md, inference rows), and the batch of an
inference pass changes nothing but its speed. Appends two rows to OUT_CSV: RankForge's cost of that sweep (from its run record) and PyTorch's of the
same trials, in the same columns (benchmarks/sweep-twin), with the GLIBC_TUNABLES PyTorch ran under (RankForge's
row: none; its sweep ran in another process).
"""
import csv
import glob
import json
import multiprocessing as mp
import os
import platform
import sys
import time

os.environ.setdefault("TORCH_CPP_LOG_LEVEL", "ERROR")  # one NNPACK warning per call on CPUs it does not know
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twin  # noqa: E402

TUNE_BATCH, LEARNING_RATE, L2 = 64, 1e-3, 1e-4
FIELDS = ["date", "git_commit", "framework", "version", "eval_batch", "model", "trials", "fine_tuned_trials", "slots", "wall_s",
          "trials_per_hour", "task_s", "decompose_s", "recalibrate_s", "evaluate_s", "fine_tune_s",
          "evaluate_finetuned_s", "load_end", "glibc_tunables"]


def factor_pair(core, rank, first_conv):
    """RankForge's two factor layers for a conv or linear layer (docs/decomposition.md, Schemes and factors)."""
    if isinstance(core, nn.Linear):
        return nn.Sequential(nn.Linear(core.in_features, rank, bias=False),
                             nn.Linear(rank, core.out_features, bias=core.bias is not None))
    c, n = core.in_channels, core.out_channels
    (kh, kw), (sh, sw), (ph, pw) = core.kernel_size, core.stride, core.padding
    bias = core.bias is not None
    if first_conv:  # channel scheme: r filters C×kH×kW, then N filters r×1×1
        return nn.Sequential(nn.Conv2d(c, rank, (kh, kw), (sh, sw), (ph, pw), bias=False),
                             nn.Conv2d(rank, n, 1, bias=bias))
    if kh == 1 and kw == 1:  # dense scheme of a 1×1 convolution
        return nn.Sequential(nn.Conv2d(c, rank, 1, (sh, sw), bias=False), nn.Conv2d(rank, n, 1, bias=bias))
    # spatial scheme: r filters C×kH×1 (stride (s_h, 1)), then N filters r×1×kW (stride (1, s_w))
    return nn.Sequential(nn.Conv2d(c, rank, (kh, 1), (sh, 1), (ph, 0), bias=False),
                         nn.Conv2d(rank, n, (1, kw), (1, sw), (0, pw), bias=bias))


def decomposed(model_id, layers, ranks):
    net = twin.MODELS[model_id][0]()
    first = next(n for n, m in net.layers.items() if isinstance(m, nn.Conv2d)
                 or (isinstance(m, nn.Sequential) and isinstance(m[0], nn.Conv2d)))
    config = dict(zip(layers, ranks))
    unknown = set(config) - set(net.layers)
    if unknown:
        raise SystemExit(f"sweep_twin.py: {model_id}'s twin has no layers {sorted(unknown)}")
    for name, rank in config.items():
        m = net.layers[name]
        if isinstance(m, nn.Sequential):
            m[0] = factor_pair(m[0], rank, name == first)
        else:
            net.layers[name] = factor_pair(m, rank, name == first)
    return net


def macs(net, names):
    """MACs per image of the named layers, counted from the modules' shapes on one probe image."""
    total = [0]

    def count(m, _, out):
        if isinstance(m, nn.Conv2d):
            total[0] += out.shape[2] * out.shape[3] * m.out_channels * m.in_channels // m.groups \
                * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            total[0] += m.in_features * m.out_features

    hooks = [sub.register_forward_hook(count) for n in names for sub in net.layers[n].modules()
             if isinstance(sub, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        net.eval()
        net(torch.zeros(1, 1, 28, 28))
    for h in hooks:
        h.remove()
    return total[0]


def check_cost(model_id, trials):
    original = {}
    for t in trials:
        key = tuple(t["layers"])
        if key not in original:
            original[key] = macs(twin.MODELS[model_id][0](), t["layers"])
        ratio = macs(decomposed(model_id, t["layers"], t["ranks"]), t["layers"]) / original[key]
        if abs(ratio - t["flops_ratio"]) > 1e-9 * t["flops_ratio"]:
            raise SystemExit(f"sweep_twin.py: trial {t['trial_id']}: the twin's MACs ratio {ratio} is not the trials "
                             f"table's {t['flops_ratio']}: the twin does not build RankForge's layers")


IMAGES = LABELS = None


def init_worker(images):
    global IMAGES, LABELS
    torch.set_num_threads(1)
    IMAGES = images
    LABELS = torch.tensor([(i * 7) % 10 for i in range(images.shape[0])])


def run_trial(args):
    t, batch, n_cal, n_test, n_train = args
    images, labels = IMAGES, LABELS
    torch.manual_seed(int(t["task_seed"]) & 0x7FFFFFFF)
    start = time.perf_counter()
    net = decomposed(t["model"], t["layers"], t["ranks"])
    built = time.perf_counter()
    for m in net.modules():  # re-estimated, not trained: cumulative averages over the calibration images
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    net.train()
    with torch.no_grad():
        for i in range(0, n_cal, batch):
            net(images[i:min(n_cal, i + batch)])
    recalibrated = time.perf_counter()

    def evaluate():
        net.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, n_test, batch):
                out = net(images[i:min(n_test, i + batch)])
                correct += int((out.argmax(1) == labels[i:min(n_test, i + batch)]).sum())
        return correct / n_test

    evaluate()
    evaluated = time.perf_counter()
    tune = tuned = evaluated
    if t["fine_tuned"]:
        opt = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE, weight_decay=L2)
        loss_fn = nn.CrossEntropyLoss()
        net.train()
        order = torch.randperm(n_train)
        for i in range(0, n_train, TUNE_BATCH):
            idx = order[i:i + TUNE_BATCH]
            opt.zero_grad()
            loss_fn(net(images[idx], softmax=False), labels[idx]).backward()
            opt.step()
        tune = time.perf_counter()
        evaluate()
        tuned = time.perf_counter()
    return {"task_s": tuned - start, "decompose_s": built - start, "recalibrate_s": recalibrated - built,
            "evaluate_s": evaluated - recalibrated, "fine_tune_s": tune - evaluated, "evaluate_finetuned_s": tuned - tune}


def main():
    run_dir, out, commit = sys.argv[1:4]
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    n_cal, n_test, n_train = (int(a) for a in (sys.argv[5:8] if len(sys.argv) > 7 else (500, 1000, 1000)))
    import pyarrow.ipc as ipc  # benchmarks/sweep-twin installs it with tools/python/install-deps.sh pyarrow
    trials = [t for t in ipc.open_file(os.path.join(run_dir, "trials.arrow")).read_all().to_pylist()
              if t["status"] == "ok"]
    records = sorted(glob.glob(os.path.join(run_dir, "_runs", "sweep-*.json")))
    if not trials or not records:
        raise SystemExit(f"sweep_twin.py: no finished trials or no sweep run record in {run_dir}: run a sweep there")
    cost = json.load(open(records[-1]))["summary"]["cost"]
    if cost["trials"] != len(trials):
        raise SystemExit(f"sweep_twin.py: {run_dir}'s last sweep ran {cost['trials']} trials but its table holds "
                         f"{len(trials)}: use the output of one sweep run from scratch")
    torch.set_num_threads(1)
    models = sorted({t["model"] for t in trials})
    for m in models:
        check_cost(m, [t for t in trials if t["model"] == m])
    torch.manual_seed(42)
    images = torch.rand(max(n_cal, n_test, n_train), 1, 28, 28)
    slots = int(cost["slots"])
    warm = [(t, batch, n_cal, n_test, n_train) for t in trials[:slots] for _ in range(2)]
    work = [(t, batch, n_cal, n_test, n_train) for t in trials]
    # spawned, not forked: a fork after torch has started its thread pool can hang the children
    with mp.get_context("spawn").Pool(slots, initializer=init_worker, initargs=(images,)) as pool:
        pool.map(run_trial, warm, chunksize=1)  # the workers' first trials, like a JVM's, pay one-off costs
        start = time.perf_counter()
        results = list(pool.imap_unordered(run_trial, work, chunksize=1))
        wall = time.perf_counter() - start
    tuned = sum(1 for t in trials if t["fine_tuned"])
    stamp = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
    load = open("/proc/loadavg").read().split()[0]
    phases = ["task_s", "decompose_s", "recalibrate_s", "evaluate_s", "fine_tune_s", "evaluate_finetuned_s"]
    ours = [stamp, commit, "rankforge", trials[0]["native_build"] or "", 256, "+".join(models), cost["trials"], tuned, slots,
            round(cost["wall_s"], 2), round(cost["trials_per_hour"])] + [round(cost[p], 2) for p in phases] + [load, ""]
    theirs = [stamp, commit, "pytorch", torch.__version__, batch, "+".join(models), len(results), tuned, slots,
              round(wall, 2), round(len(results) * 3600 / wall)] \
        + [round(sum(r[p] for r in results), 2) for p in phases] + [load, os.environ.get("GLIBC_TUNABLES", "")]
    fresh = not os.path.exists(out)
    with open(out, "a", newline="") as f:
        w = csv.writer(f)
        if fresh:
            w.writerow(FIELDS)
        w.writerow(ours)
        w.writerow(theirs)
    print(f"sweep_twin.py: {len(results)} trials ({tuned} fine-tuned) on {slots} processes: PyTorch "
          f"{theirs[10]} trials/h ({wall:.1f} s), RankForge {ours[10]} trials/h ({cost['wall_s']:.1f} s); "
          f"python {platform.python_version()}", file=sys.stderr)


if __name__ == "__main__":
    main()
