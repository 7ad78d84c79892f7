#!/usr/bin/env bash
# Builds Debian's FAISS source (the version of the installed libfaiss-dev, with Debian's patches) with AVX2, and
# prints the CMake prefix to build faiss-node against; prints nothing when Debian's own libfaiss is to be used.
# Why: Debian compiles FAISS for baseline x86-64 (SSE2), which makes single-query Flat search 2-4x slower than
# faiss-cpu's AVX2 build. Called by ../20-faiss-node.sh; progress goes to stderr, the prefix alone to stdout.
# Skips when the library was built by this script unchanged (hash stamp): a second run costs milliseconds.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
log() { echo "libfaiss: $*" >&2; }

# FAISS's own avx2 level compiles with exactly these four extensions; without any of them use Debian's build.
for flag in avx2 fma f16c popcnt; do
  if ! grep -qw "$flag" /proc/cpuinfo; then
    log "this CPU lacks $flag: using Debian's libfaiss (baseline x86-64, slower single queries)"
    exit 0
  fi
done

version=$(dpkg-query -W -f='${source:Version}' libfaiss-dev 2>/dev/null) \
  || { log "libfaiss-dev is not installed (scripts/bootstrap-system.sh installs it)"; exit 1; }
upstream_version=${version%-*}
work=$root/.cache/faiss
prefix=$work/$version-avx2
stamp=$prefix/curator-build.sha256
hash=$( (cat "$0"; echo "$version") | sha256sum | cut -d' ' -f1)

if [ -f "$prefix/lib/cmake/faiss/faiss-config.cmake" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
  log "using FAISS $version built with AVX2 ($prefix)"
  echo "$prefix"
  exit 0
fi

fail() {
  log "$*"
  log "the AVX2 build failed; fix the cause above or delete $work and rerun (npm run postinstall)"
  exit 1
}
started=$SECONDS
log "building FAISS $version from Debian's source with AVX2 (about 3-6 minutes on 2 cores)"
rm -rf "$work/src" "$work/build" "$prefix"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache" "$work/src"

# Debian's source archive through apt, with every piece of apt state private to this directory: the system's
# sources and lists stay untouched, and apt checks the downloads against the signed Sources index.
. /etc/os-release
echo "deb-src http://deb.debian.org/debian $VERSION_CODENAME main" > "$work/apt/sources.list"
apt_private=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o "APT::Sandbox::User=$(id -un)")
apt-get "${apt_private[@]}" -qq update >&2 || fail "apt-get update of $work/apt/sources.list failed"
(cd "$work/src" && apt-get "${apt_private[@]}" -qq --download-only source "faiss=$version" >&2) \
  || fail "apt-get source faiss=$version failed"

src=$work/src/faiss-$upstream_version
tar -xzf "$work/src/faiss_$upstream_version.orig.tar.gz" -C "$work/src"
tar -xJf "$work/src/faiss_$version.debian.tar.xz" -C "$src"
while read -r p; do
  [ -n "$p" ] || continue
  patch --quiet -p1 -d "$src" < "$src/debian/patches/$p" || fail "Debian patch $p does not apply"
done < "$src/debian/patches/series"

# Only the library target: FAISS_OPT_LEVEL=avx2 would compile everything twice (generic libfaiss and
# libfaiss_avx2), and faiss_avx2 is nothing but the same sources with these flags. OpenBLAS named explicitly:
# the generic libblas may be the slow reference BLAS.
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_CXX_FLAGS="-mavx2 -mfma -mf16c -mpopcnt" -DFAISS_OPT_LEVEL=generic \
  -DFAISS_ENABLE_GPU=OFF -DFAISS_ENABLE_PYTHON=OFF -DFAISS_ENABLE_C_API=OFF -DBUILD_TESTING=OFF \
  -DBLA_VENDOR=OpenBLAS -DBUILD_SHARED_LIBS=OFF >"$work/cmake.log" 2>&1 \
  || fail "cmake configure failed, see $work/cmake.log"
cmake --build "$work/build" --target faiss -j "$(nproc)" >"$work/build.log" 2>&1 \
  || fail "compilation failed, see $work/build.log"
cmake --install "$work/build" >>"$work/build.log" 2>&1 || fail "install failed, see $work/build.log"
rm -rf "$work/build" "$work/src"

echo "$hash" > "$stamp"
log "built FAISS $version with AVX2 in $((SECONDS - started)) s ($prefix)"
echo "$prefix"
