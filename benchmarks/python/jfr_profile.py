"""Attributes Java Flight Recorder samples of a DL4J training run to layer operations.

Reads the text of `jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample` and keeps the samples taken
inside `fit` (the training loop). Each one is attributed to the innermost DL4J layer frame on its stack: the layer
class and the method (forward `preOutput`/`activate`, `backpropGradient`), the oneDNN helper when the frame above
it is one, or the updater. Usage: jfr_profile.py SAMPLES CSV MODEL IMAGES THREADS.
"""
import collections
import csv
import re
import sys

FRAME = re.compile(r"^\s+([\w.$<>]+)\(")


def stacks(text):
    for block in text.split("\njdk.")[0:]:
        m = re.search(r"stackTrace = \[(.*?)\n\s*\]", block, re.S)
        if m:
            yield [f.group(1) for f in (FRAME.match(line) for line in m.group(1).split("\n")) if f]


def short(method):
    cls, _, name = method.rpartition(".")
    return cls.rsplit(".", 1)[-1] + "." + name


def operation(frames):
    """The innermost DL4J frame that names a layer (with its oneDNN helper), the updater or the network's own code."""
    helper = None
    for f in frames:
        if ".layers.mkldnn." in f and helper is None:
            helper = short(f).split(".")[0]
        if f.startswith("org.deeplearning4j.nn.updater."):
            return "updater (" + short(f) + ")"
        if f.startswith("org.deeplearning4j.nn.multilayer.") or f.startswith("org.deeplearning4j.nn.graph."):
            return "network (" + short(f) + ")"
        if f.startswith("org.deeplearning4j.optimize."):
            return "optimizer (" + short(f) + ")"
        if f.startswith("io.rankforge.runtime.ReluActivationLayer."):
            # RankForge's replacement of DL4J's activation layer (TrainingKernels): a layer frame of its own
            return "ActivationLayer." + f.rsplit(".", 1)[-1] + " [RankForge ReLU]"
        if f.startswith("org.deeplearning4j.nn.layers.") and ".mkldnn." not in f:
            op = short(f)
            return op + (" [oneDNN " + helper + "]" if helper else "")
        if f.startswith("io.rankforge.data."):
            return "data (" + short(f) + ")"
    return "other (" + short(frames[0]) + ")" if frames else "other"


def main(path, out, model, images, threads):
    counts = collections.Counter()
    total = 0
    for frames in stacks(open(path).read()):
        if not any(".fit(" in f + "(" or f.endswith(".fit") for f in frames):
            continue
        total += 1
        counts[operation(frames)] += 1
    if total == 0:
        sys.exit("no samples inside fit(): was the run too short?")
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["model", "images", "threads", "operation", "samples", "share"])
        for op, n in counts.most_common():
            w.writerow([model, images, threads, op, n, f"{n / total:.4f}"])
    print(f"{model}: {total} samples inside fit(), {images} images, {threads} thread(s)\n")
    print("| operation | share |\n| --- | --- |")
    for op, n in counts.most_common(15):
        print(f"| {op} | {100 * n / total:.1f}% |")


if __name__ == "__main__":
    main(*sys.argv[1:6])
