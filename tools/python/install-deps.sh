#!/usr/bin/env bash
# Installs the Python packages RankForge's ONNX tests drive: onnx and onnxruntime (to run exported
# models), torch (CPU) and onnxscript (to train and export the PyTorch model the import test reads),
# numpy. pip installs them with their dependencies into tools/python/.pydeps (git-ignored), which the
# tests put on PYTHONPATH; nothing outside the repository is changed. Safe to run again.
#
#   tools/python/install-deps.sh          # no root needed
#   RANKFORGE_PIP_INDEX=URL ...           # a pip index to use instead of the machine's configured one
#
# The tests call tools/python/check-deps.py to find out what is missing; a missing package fails them
# with a message naming it and this script.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="$HERE/.pydeps"
PY=/usr/bin/python3
[ -x "$PY" ] || PY="$(command -v python3)"
if PYTHONPATH="$TARGET" "$PY" "$HERE/check-deps.py" >/dev/null 2>&1; then
  echo "tools/python: onnx, onnxruntime, torch and onnxscript already importable from $TARGET"; exit 0
fi
# pip: Debian's python3 may lack it; any python3 with pip can install wheels for the same version.
PIP_PY=""
for p in "$PY" python3 python3.11 python3.12 python3.13; do
  if command -v "$p" >/dev/null && "$p" -m pip --version >/dev/null 2>&1; then PIP_PY="$p"; break; fi
done
[ -n "$PIP_PY" ] || { echo "tools/python: no pip found; install python3-pip, then rerun $0" >&2; exit 1; }
VER="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
INDEX=()
if [ -n "${RANKFORGE_PIP_INDEX:-}" ]; then
  INDEX=(--index-url "$RANKFORGE_PIP_INDEX")
elif [ -d /opt/pypi/simple/onnxruntime ]; then
  # a machine with a local wheel mirror and no internet: use the mirror (and pip.conf's find-links, where
  # the CPU torch wheel lies) alone, without waiting on pypi.org
  INDEX=(--index-url file:///opt/pypi/simple)
  [ -d /opt/wheels ] && INDEX+=(--find-links /opt/wheels)
fi
# CPU torch only: its wheel is named +cpu and needs none of the nvidia-* packages
"$PIP_PY" -m pip install -q --disable-pip-version-check --only-binary=:all: --python-version "$VER" \
    --target "$TARGET" --upgrade "${INDEX[@]}" \
    numpy onnx onnxruntime onnxscript 'torch>=2.1'
PYTHONPATH="$TARGET" "$PY" "$HERE/check-deps.py"
