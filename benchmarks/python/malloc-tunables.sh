# Sourced by benchmarks/run and benchmarks/sweep-twin: the glibc malloc settings the Python peers (PyTorch, NumPy)
# run under, in PY_TUNABLES. With glibc's default thresholds malloc maps and unmaps PyTorch's larger tensors on
# every call, and a first-touched page costs 11-15 us on the VM these numbers come from (benchmarks/page-touch):
# PyTorch's batch-256 inference ran 6x slower. Both thresholds are raised (raising only one freezes the other at its
# default). DL4J runs with glibc's defaults, as RankForge ships (docs/native.md).
# RANKFORGE_PY_GLIBC_TUNABLES= (empty) gives the peers glibc's defaults; any other value replaces these.
PY_TUNABLES="${RANKFORGE_PY_GLIBC_TUNABLES-glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=4294967296}"
