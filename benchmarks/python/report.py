#!/usr/bin/env python3
"""Turns benchmarks/results/*.csv (written by benchmarks/run) into benchmarks/RESULTS.md on stdout.
Standard library only. Every number is a median over the repeats with its spread [min-max].

  report.py RESULTS_DIR COMMAND SECONDS THREADS LOAD_AT_START
"""
import csv
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import defaultdict


def rows(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return []
    with open(p, newline="") as f:
        return list(csv.DictReader(f))


def med(xs):
    return statistics.median(xs)


def spread(xs, fmt="{:.0f}"):
    return f"{fmt.format(med(xs))} [{fmt.format(min(xs))}–{fmt.format(max(xs))}]"


def machine():
    cpu = "unknown CPU"
    try:
        info = {}
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break  # the first processor is enough
                k, _, v = line.partition(":")
                info[k.strip()] = v.strip()
        # a model name such as "AMD EPYC" names several generations: family, model and the widest vector ISA
        # tell them apart (PyTorch's and oneDNN's pace differ between them)
        flags = info.get("flags", "").split()
        isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
        cpu = (f"{info.get('model name', 'unknown CPU')} (family {info.get('cpu family', '?')}, "
               f"model {info.get('model', '?')}, {isa})")
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB memory"
    except OSError:
        pass
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    except OSError:
        java = "java ?"
    try:
        load = os.getloadavg()[0]
        load = f", load average {{start}} at the start and {load:.1f} at the end"
    except OSError:
        load = ""
    return f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; {java}{load}"


def main():
    d, command, seconds, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    load_start = sys.argv[5] if len(sys.argv) > 5 else "?"
    out = []
    w = out.append
    twin = rows(d, "twin.csv")
    torch_rows = rows(d, "twin_pytorch.csv")
    build = twin[0]["build"] if twin else "?"
    w("# RankForge benchmark results\n")
    w(f"Written by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} in {seconds / 60:.1f} min.")
    w(f"Machine: {machine().replace('{start}', load_start)}. libnd4j build: `{build}` (docs/native.md); {threads} threads for DL4J "
      f"(OMP_NUM_THREADS) and PyTorch (torch.set_num_threads). Raw numbers: `benchmarks/results/*.csv`.")
    w("Numbers are medians over the repeats with [min–max]; ratios are of the medians. Inputs are seeded uniform "
      "[0, 1) 28×28 images (speed does not depend on pixel values). DL4J's and PyTorch's repeats alternate, so "
      "both share whatever else the machine was doing; a load average above the core count means other jobs "
      "ran at the same time and the absolute numbers are lower bounds of what an idle machine does.")
    tunables = os.environ.get("RANKFORGE_PY_GLIBC_TUNABLES", "")
    if tunables:
        w(f"PyTorch and NumPy ran with `GLIBC_TUNABLES={tunables}`: with glibc's default thresholds malloc maps and "
          "unmaps PyTorch's larger tensors on every call, and a first-touched page costs 13–15 µs on the VM these "
          "numbers come from (`benchmarks/page-touch`), which made PyTorch's batch-256 inference about 6× slower "
          "(benchmarks/README.md). DL4J ran with glibc's defaults, as RankForge ships (docs/native.md).\n")
    else:
        w("PyTorch and NumPy ran with glibc's default malloc settings (`RANKFORGE_PY_GLIBC_TUNABLES=`).\n")

    w("## DL4J (RankForge) against PyTorch on the same network\n")
    if not torch_rows:
        w("PyTorch was not installable on this machine (tools/python/install-deps.sh): no comparison.\n")
    else:
        w("Each zoo network and its PyTorch twin (benchmarks/python/twin.py) hold the same weights: the twin loads "
          "DL4J's parameters and must reproduce DL4J's output on a probe batch (max |difference| below). Inference: "
          "batch 256 (RankForge's evaluation batch) and batch 64, alternated; training: one pass, the zoo's batch size (64), Adam. Targets (issue 11): inference ≥ 0.5× "
          "PyTorch's images/s, training time within 2× (≥ 0.5× its images/s).")
        warm = os.environ.get("RANKFORGE_BENCH_WARMUP_S", "")
        jvm = os.environ.get("RANKFORGE_BENCH_JVM_OPTS", "").strip()
        w(f"Each process (one DL4J JVM and one PyTorch process per repeat) first ran every phase of every network in turn "
          f"for {warm or '?'} s, at least once each, so that HotSpot's compiler has done most of its work before "
          f"anything is timed: these are steady-state rates, as in a long training run (docs/native.md, \"JIT compilation\"). "
          f"DL4J's JVMs ran with bin/rankforge's options (`{jvm or 'none'}`).\n")
        w("| model | phase | DL4J images/s | PyTorch images/s | DL4J / PyTorch | target |")
        w("| --- | --- | --- | --- | --- | --- |")
        by = defaultdict(list)
        for r in twin + torch_rows:
            if r["phase"] in ("infer", "infer-b64", "train"):
                by[(r["model"], r["phase"], r["framework"])].append(float(r["images_per_s"]))
        for model in ("lenet5", "vgg-mini", "resnet-20"):
            for phase in ("infer", "infer-b64", "train"):
                a, b = by.get((model, phase, "dl4j")), by.get((model, phase, "pytorch"))
                if not a or not b:
                    continue
                ratio = med(a) / med(b)
                name = {"infer": "inference", "infer-b64": "inference, batch 64", "train": "training"}[phase]
                w(f"| {model} | {name} | {spread(a)} | {spread(b)} | "
                  f"{ratio:.2f} | {'met' if ratio >= 0.5 else 'missed'} (≥ 0.5) |")
        wide = [(m, by[(m, p, "pytorch")]) for m in ("lenet5", "vgg-mini", "resnet-20") for p in ("infer", "infer-b64")
                if by.get((m, p, "pytorch")) and max(by[(m, p, "pytorch")]) > 2 * min(by[(m, p, "pytorch")])]
        if wide:
            w("")
            w("PyTorch's inference pace varied more than twofold between its repeats (each repeat is a fresh process) "
              "for " + ", ".join(f"{m} ({min(v):.0f}–{max(v):.0f} images/s)" for m, v in wide) + ": a median of "
              "such a spread is not a stable baseline, so read the ratio beside the other batch size's.")
        kernel = defaultdict(list)
        for r in twin:
            if r["phase"].startswith("train"):
                kernel[(r["model"], r["phase"])].append(float(r["images_per_s"]))
        parts = [m for m in ("lenet5", "vgg-mini", "resnet-20") if kernel.get((m, "train-dl4j"))]
        if parts:
            w("")
            w("Training as RankForge trains (`train`: the fused batch-norm kernel, the exact speed-ups, the dense "
              "layers through libnd4j's matmul and the first convolution without the input's gradient, "
              "`TrainingKernels`, docs/native.md) against the same with DL4J's batch-norm helper (`train-dl4j-bn`, "
              "networks with batch norm) and against DL4J as it comes (`train-dl4j`: nothing installed), same network, "
              "weights and images, repeats alternated. `train-dl4j-bn` / `train-dl4j` is the share of everything but "
              "the batch-norm kernel (the exact speed-ups give DL4J's numbers bit for bit; the dense and input-layer "
              "changes round differently), the kernel's is `train` / `train-dl4j-bn`:\n")
            w("| model | train images/s | train-dl4j-bn images/s | train-dl4j images/s | train / train-dl4j | "
              "train / train-dl4j-bn | train-dl4j-bn / train-dl4j |")
            w("| --- | --- | --- | --- | --- | --- | --- |")
            for m in parts:
                a, b, c = kernel[(m, "train")], kernel.get((m, "train-dl4j-bn")), kernel[(m, "train-dl4j")]
                w(f"| {m} | {spread(a)} | {spread(b) if b else '(no batch norm)'} | {spread(c)} | "
                  f"{med(a) / med(c):.2f} | {f'{med(a) / med(b):.2f}' if b else '—'} | "
                  f"{f'{med(b) / med(c):.2f}' if b else '—'} |")
        inference = defaultdict(list)
        for r in twin:
            if r["phase"].startswith("infer"):
                inference[(r["model"], r["phase"])].append(float(r["images_per_s"]))
        parts = [m for m in ("lenet5", "vgg-mini", "resnet-20") if inference.get((m, "infer-dl4j"))]
        if parts:
            w("")
            w("Inference as RankForge's evaluation runs it (`infer`: kernels installed, whose batch-norm inference pass "
              "gives oneDNN's output bit for bit) against DL4J as it comes (`infer-dl4j`), same network, weights and "
              "images, repeats alternated:\n")
            w("| model | infer images/s | infer-dl4j images/s | infer / infer-dl4j |")
            w("| --- | --- | --- | --- |")
            for m in parts:
                a, c = inference[(m, "infer")], inference[(m, "infer-dl4j")]
                w(f"| {m} | {spread(a)} | {spread(c)} | {med(a) / med(c):.2f} |")
        diffs = {r["model"]: float(r["images_per_s"]) for r in torch_rows if r["phase"] == "probe_max_abs_diff"}
        w("")
        w("Same function: max |DL4J − PyTorch| on the probe batch: "
          + ", ".join(f"{m} {v:.1e}" for m, v in diffs.items()) + f" (PyTorch {torch_rows[0]['build']}).\n")

    sp = rows(d, "speedup.csv")
    if sp:
        w("## Realised speed-up of decomposed networks\n")
        w("Each zoo network decomposed to 25/50/75% of its compressible layers' MACs (uniform rank fraction, "
          "`--method uniform`), against the original, on DL4J. `flops_ratio` counts the compressible layers, "
          "`network_flops_ratio` the whole network (MACs per image). Speed-up = original's median latency / this "
          "variant's; the ideal is 1 / network_flops_ratio.\n")
        w("| model | variant | flops_ratio | network_flops_ratio | latency b1 (ms) | latency b64 (ms) | "
          "images/s (b256) | speed-up b1 | speed-up b64 | ideal |")
        w("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        by = defaultdict(list)
        for r in sp:
            by[(r["model"], r["variant"])].append(r)
        for (model, variant), rs in by.items():
            b1 = [float(r["latency_b1_ms"]) for r in rs]
            b64 = [float(r["latency_b64_ms"]) for r in rs]
            thr = [float(r["throughput_b256"]) for r in rs]
            orig = by[(model, "original")]
            o1 = med([float(r["latency_b1_ms"]) for r in orig])
            o64 = med([float(r["latency_b64_ms"]) for r in orig])
            net = float(rs[0]["network_flops_ratio"])
            w(f"| {model} | {variant} | {float(rs[0]['flops_ratio']):.3f} | {net:.3f} | {spread(b1, '{:.2f}')} | "
              f"{spread(b64, '{:.1f}')} | {spread(thr)} | ×{o1 / med(b1):.2f} | ×{o64 / med(b64):.2f} | "
              f"×{1 / net:.2f} |")
        w("\nThe paper reports ×3.55 for VGG-16 at 25% on an embedded CPU; these networks are far smaller (a few "
          "million MACs per image), so fixed per-layer costs weigh more.\n")

    svd = rows(d, "svd.csv") + rows(d, "svd_numpy.csv")
    if svd:
        w("## Per-layer SVD: ND4J (LAPACK dgesdd through ND4J's OpenBLAS) against NumPy\n")
        w("The matrices the spatial scheme builds ((C·k) × (N·k) for a k×k convolution, float64), the very same "
          "matrices for both (SvdSpeed writes them, benchmarks/python/svd.py reads them). `values`: singular values "
          "only (profiling); `vectors`: thin U and Vᵀ too (decomposition).\n")
        w("| set | layer | shape | mode | ND4J (ms) | NumPy (ms) | ND4J / NumPy |")
        w("| --- | --- | --- | --- | --- | --- | --- |")
        by = defaultdict(list)
        order = []
        for r in svd:
            lib = "nd4j" if r["library"] == "nd4j" else "numpy"
            k = (r["set"], r["layer"], f"{r['rows']}×{r['cols']}", r["mode"])
            if k not in order and lib == "nd4j":
                order.append(k)
            by[k + (lib,)].append(float(r["seconds"]) * 1000)
        for k in order:
            a, b = by.get(k + ("nd4j",)), by.get(k + ("numpy",))
            nb = spread(b, "{:.2f}") if b else "—"
            ratio = f"{med(a) / med(b):.1f}" if b and med(b) > 0 else "—"
            w(f"| {k[0]} | {k[1]} | {k[2]} | {k[3]} | {spread(a, '{:.2f}')} | {nb} | {ratio} |")
        w("")

    search = rows(d, "search.csv")
    if search:
        w("## Rank search speed (JMH)\n")
        w("Time of one search (`SelectionBenchmark`: the metric tables built beforehand), average time per "
          "operation ± JMH's 99.9% error. `enc-inf-candidates` is ENC-Inf's candidate generation (40 candidates) "
          "without measuring them. Profiles: the paper's VGG-16 (25% of the MACs, measured metric, first layer at "
          "half) and ResNet-56 (50%) reference data; synthetic networks of 50–500 layers (40%). For scale, the "
          "paper: ENC-Map ~5 s and ENC-Model ~3 min on a CPU; AMC 4 h on 8 GPUs.\n")
        w("| profile | method | ms per search |")
        w("| --- | --- | --- |")
        for r in search:
            err = r["Score Error (99.9%)"]
            err = f" ± {float(err):.3g}" if err not in ("NaN", "") else ""
            w(f"| {r['Param: profile']} | {r['Param: method']} | {float(r['Score']):.3g}{err} |")
        w("")

    spark = rows(d, "spark.csv")
    if spark:
        w("## Spark scaling of a sweep\n")
        w("One sweep of the lenet5 job-test model (decompose + test accuracy on 1,000 images, no fine-tuning) from "
          "scratch per setting (`SweepThroughput`), embedded Spark and a standalone cluster on 127.0.0.1 "
          "(spark-submit of the shaded jar). Task time per trial is the trial's own compute; overhead per trial is "
          "slot time spent outside tasks (scheduling, serialisation, journal commits, idle slots).\n")
        w("| setting | trials | trials per hour | task s per trial | overhead s per trial |")
        w("| --- | --- | --- | --- | --- |")
        by = defaultdict(list)
        for r in spark:
            by[r["setting"]].append(r)
        for setting, rs in by.items():
            tph = [float(r["trials_per_hour"]) for r in rs]
            task = [float(r["task_s_per_trial"]) for r in rs]
            ov = [float(r["overhead_s_per_trial"]) for r in rs if r["overhead_s_per_trial"] not in ("NaN", "")]
            w(f"| {setting} | {rs[0]['trials']} | {spread(tph)} | {spread(task, '{:.3f}')} | "
              f"{spread(ov, '{:.3f}') if ov else '—'} |")
        w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
