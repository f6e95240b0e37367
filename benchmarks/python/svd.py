#!/usr/bin/env python3
"""NumPy's SVD (LAPACK through the OpenBLAS NumPy ships) on the matrices SvdSpeed wrote, in SvdSpeed's CSV format:
singular values only (np.linalg.svd compute_uv=False) and thin vectors (full_matrices=False), float64.

  svd.py MATRICES_DIR OUT_CSV REPEATS THREADS
"""
import csv
import os
import sys
import time

threads = sys.argv[4]
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = threads
import numpy as np  # noqa: E402  (after the thread settings, which OpenBLAS reads at load)


def main():
    mdir, out, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rows = []
    for f in sorted(os.listdir(mdir)):
        if not f.endswith(".npy"):
            continue
        mset, layer = f[:-4].split("__")
        m = np.load(os.path.join(mdir, f))
        np.linalg.svd(m, compute_uv=False)  # warm-up
        for mode in ("values", "vectors"):
            for r in range(repeats):
                t0 = time.perf_counter()
                if mode == "values":
                    np.linalg.svd(m, compute_uv=False)
                else:
                    np.linalg.svd(m, full_matrices=False)
                rows.append(["numpy-" + np.__version__, mset, layer, m.shape[0], m.shape[1], mode, r,
                             round(time.perf_counter() - t0, 6)])
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["library", "set", "layer", "rows", "cols", "mode", "repeat", "seconds"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
