#!/usr/bin/env bash
# ctest install/example: installs wembed (DESTDIR and a prefix, as a packager
# would), builds examples/ against the install as a project of its own
# (find_package(wembed)) and with pkg-config, and runs the example on a small
# vector file. The package is tested, not assumed.
#
#   install_test.sh BUILD_DIR SOURCE_DIR CXX_COMPILER BUILD_TYPE [SANITIZERS] [LAUNCHER]
#
# SANITIZERS (the build's WEMBED_SANITIZE, e.g. address,undefined): the installed
# libraries are instrumented, so the example is built with the same -fsanitize.
# LAUNCHER: a compiler launcher (ccache) for the example builds.
set -euo pipefail
build=$1 src=$2 cxx=$3 type=$4 san=${5:-} launcher=${6:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

# --- install -----------------------------------------------------------------
DESTDIR="$tmp/stage" cmake --install "$build" --prefix /opt/wembed >"$tmp/install.log" || {
  cat "$tmp/install.log" >&2; fail "cmake --install"; }
prefix=$tmp/stage/opt/wembed
libdir=$(dirname "$(find "$prefix" -name libwembed_core.a)")
for f in bin/wembed include/wembed/version.h include/wembed/vectors/index.h include/wembed/vectors/query.h \
         include/wembed/vectors/vectors.h include/wembed/core/matrix.h; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
for sub in core corpus vectors word2vec glove phrases plot sentiment; do
  [ -f "$libdir/libwembed_$sub.a" ] || fail "not installed: libwembed_$sub.a"
done
for f in cmake/wembed/wembedConfig.cmake cmake/wembed/wembedConfigVersion.cmake cmake/wembed/wembedTargets.cmake \
         cmake/wembed/FindCairo.cmake pkgconfig/wembed.pc; do
  [ -f "$libdir/$f" ] || fail "not installed: $(basename "$libdir")/$f"
done
version=$(sed -n 's/^#define WEMBED_VERSION "\(.*\)"$/\1/p' "$prefix/include/wembed/version.h")
[ -n "$version" ] || fail "no WEMBED_VERSION in version.h"
[ "$("$prefix/bin/wembed" --version)" = "wembed $version" ] || fail "installed wembed --version is not 'wembed $version'"

# --- a small vector file and the answers expected from it ---------------------
cat >"$tmp/v.txt" <<'VEC'
6 3
king 1 0.9 0
queen 0.95 1 0
man 1 0.1 0
woman 0.9 0.3 0.1
apple 0 0 1
pear 0.1 0 1
VEC
cat >"$tmp/expected" <<OUT
$tmp/v.txt: 6 words, 3 dimensions
king
  queen            0.9969
  woman            0.9116
apple
  pear             0.9950
  woman            0.1048
OUT
check_run() {  # check_run NAME BINARY
  "$2" "$tmp/v.txt" king apple -k 2 >"$tmp/$1.out" 2>"$tmp/$1.err" || {
    cat "$tmp/$1.err" >&2; fail "$1: the example failed"; }
  diff -u "$tmp/expected" "$tmp/$1.out" >&2 || fail "$1: unexpected output"
  if "$2" "$tmp/v.txt" nosuchword >/dev/null 2>"$tmp/$1.err"; then fail "$1: an unknown word did not fail"; fi
  grep -q "nosuchword" "$tmp/$1.err" || fail "$1: the unknown word is not named"
}

flags=()
[ -n "$san" ] && flags=(-fsanitize="$san" -fno-omit-frame-pointer)

# --- find_package(wembed) ----------------------------------------------------
cmake -S "$src/examples" -B "$tmp/examples" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE="$type" \
      -DCMAKE_CXX_COMPILER="$cxx" ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher"} \
      -DCMAKE_CXX_FLAGS="${flags[*]}" >"$tmp/configure.log" 2>&1 || {
  cat "$tmp/configure.log" >&2; fail "configuring examples/ with find_package(wembed)"; }
cmake --build "$tmp/examples" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "building examples/"; }
check_run cmake "$tmp/examples/neighbors"
echo "install_test: find_package(wembed $version): examples/neighbors built and answered"

# --- pkg-config ----------------------------------------------------------------
if ! command -v pkg-config >/dev/null; then
  echo "install_test: pkg-config not installed: wembed.pc not checked"
  exit 0
fi
pc_flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs wembed) || fail "pkg-config wembed"
# shellcheck disable=SC2086  # the flags are words
$launcher "$cxx" -std=c++17 "${flags[@]}" "$src/examples/neighbors.cc" $pc_flags -o "$tmp/neighbors-pc" \
  >"$tmp/pc.log" 2>&1 || { cat "$tmp/pc.log" >&2; fail "compiling with pkg-config --cflags --libs wembed"; }
check_run pkg-config "$tmp/neighbors-pc"
echo "install_test: pkg-config wembed: the example built and answered"
