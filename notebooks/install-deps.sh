#!/usr/bin/env bash
# Installs what the notebooks need: Jupyter (nbconvert + a Python 3 kernel), pandas and matplotlib
# from Debian's packages, and pyarrow (not packaged by Debian) with pip into notebooks/.pydeps,
# which the notebooks' test puts on PYTHONPATH. Safe to run again.
#
#   notebooks/install-deps.sh            # as root: apt-get install + pip; otherwise pip only
#   RANKFORGE_PIP_INDEX=URL ...          # a pip index to use instead of the default one
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  need=()
  for pkg in jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas python3-matplotlib; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || echo "notebooks: apt-get install ${need[*]} failed (run apt-get update first?); continuing with pyarrow" >&2
  fi
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY="$(command -v python3)"
if PYTHONPATH="$HERE/.pydeps" "$PY" -c 'import pyarrow' 2>/dev/null; then
  echo "notebooks: pyarrow already importable"; exit 0
fi
# pip: Debian's python3 may lack it; any python3 with pip can install a wheel for the same version.
PIP_PY=""
for p in "$PY" python3 python3.11 python3.12 python3.13; do
  if command -v "$p" >/dev/null && "$p" -m pip --version >/dev/null 2>&1; then PIP_PY="$p"; break; fi
done
[ -n "$PIP_PY" ] || { echo "notebooks: no pip found; install python3-pip, then rerun" >&2; exit 1; }
VER="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
INDEX=()
if [ -n "${RANKFORGE_PIP_INDEX:-}" ]; then
  INDEX=(--index-url "$RANKFORGE_PIP_INDEX")
elif [ -d /opt/pypi/simple/pyarrow ]; then
  # a machine with a local wheel mirror and no internet: use the mirror alone (no waiting on pypi.org)
  INDEX=(--index-url file:///opt/pypi/simple)
fi
"$PIP_PY" -m pip install -q --disable-pip-version-check --no-deps --only-binary=:all: --python-version "$VER" \
    --target "$HERE/.pydeps" --upgrade "${INDEX[@]}" pyarrow
PYTHONPATH="$HERE/.pydeps" "$PY" -c 'import pyarrow, pandas, matplotlib; print("notebooks: pyarrow", pyarrow.__version__, "pandas", pandas.__version__, "matplotlib", matplotlib.__version__)'
