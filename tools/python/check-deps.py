"""Checks that the Python packages of RankForge's ONNX tests import; prints their versions.

Exit 0 when all import; otherwise exit 1 with one line naming the missing packages and the script that
installs them (tools/python/install-deps.sh). The Java tests run this before any Python step.
"""
import importlib
import sys

PACKAGES = ["numpy", "onnx", "onnxruntime", "torch", "onnxscript"]

missing = []
versions = []
for name in PACKAGES:
    try:
        module = importlib.import_module(name)
        versions.append(f"{name} {getattr(module, '__version__', '?')}")
    except Exception as e:  # ImportError, or a broken native library
        missing.append(f"{name} ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})")
if missing:
    print("missing Python packages: " + ", ".join(missing)
          + "; run tools/python/install-deps.sh (installs them into tools/python/.pydeps)")
    sys.exit(1)
print("tools/python: " + ", ".join(versions) + " (python " + sys.version.split()[0] + ")")
