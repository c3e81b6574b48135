#!/usr/bin/env bash
# Installs the Debian packages wembed needs, if any are missing.
# Build: cmake, g++ (OpenMP), Open MPI (distributed training, mpirun in the tests), Boost.ProgramOptions, xxHash, doctest, zlib, Eigen (PCA), cairo + DejaVu fonts (PNG maps), liblzma (.xz data).
# Tests: python3 and universal-ctags (scripts/check_layout.py, ctest layout); fasttext (fastText reads
# the .bin models wembed writes, tests/vectors/formats/test_fasttext.cc).
# Python module (python/, make python) and its tests: pybind11, the Python headers, NumPy, pytest, venv (pip install .).
# With the argument "fuzz", also what the libFuzzer targets need.
set -euo pipefail
need=(cmake g++ make libboost-program-options-dev libxxhash-dev doctest-dev zlib1g-dev xz-utils gzip libeigen3-dev libcairo2-dev fonts-dejavu-core liblzma-dev python3 universal-ctags pkg-config fasttext
      pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pytest python3-venv libopenmpi-dev openmpi-bin)
# `scripts/install-deps.sh fuzz` (make fuzz): clang, its libFuzzer runtime, OpenMP for clang.
[ "${1:-}" = fuzz ] && need+=(clang libclang-rt-dev libomp-dev)
missing=()
for p in "${need[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
