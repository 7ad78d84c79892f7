#!/usr/bin/env bash
# faiss-node built offline against Debian's FAISS 1.7.3 (libfaiss-dev + libopenblas-dev), recompiled with AVX2 from
# Debian's source where the CPU has it (scripts/native/faiss/libfaiss-avx2.sh), with the project's SafeIndex class
# added (scripts/native/faiss/). Recipe and why: docs/dependencies.md, "Offline recipes".
# Skips when the built addon loads and was built from the current patch files and FAISS build (hash stamp).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
patches=scripts/native/faiss
pkg=$(node -p "require('path').dirname(require.resolve('faiss-node/package.json'))")
addon=$pkg/build/Release/faiss-node.node
stamp=$pkg/build/curator-patch.sha256
# Empty: Debian's libfaiss (found by CMake in the system paths).
faiss_prefix=$(bash "$patches/libfaiss-avx2.sh")
hash=$( (cat "$0" "$patches"/*; echo "$faiss_prefix") | sha256sum | cut -d' ' -f1)

loads() {
  # OMP_NUM_THREADS=1: loading must not spin up an OpenMP pool on the shared cores.
  OMP_NUM_THREADS=1 node -e "if (typeof require('$pkg').SafeIndex !== 'function') process.exit(1)" 2>/dev/null
}

if [ -f "$addon" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ] && loads; then
  exit 0
fi
cmake_args=()
if [ -n "$faiss_prefix" ]; then
  cmake_args=(--CDfaiss_DIR="$faiss_prefix/lib/cmake/faiss")
  echo "faiss-node: building against FAISS with AVX2 in $faiss_prefix (about a minute)" >&2
else
  echo "faiss-node: building against Debian's libfaiss (about a minute)" >&2
fi

mkdir -p "$pkg/deps/faiss"
cp "$patches/CMakeLists.deps-faiss.txt" "$pkg/deps/faiss/CMakeLists.txt"

# Patch the upstream source kept aside on first run, so a changed patch applies cleanly on a rebuild.
upstream=$pkg/faiss.cc.upstream
[ -f "$upstream" ] || cp "$pkg/src/faiss.cc" "$upstream"
cp "$upstream" "$pkg/src/faiss.cc"
if ! patch --quiet --forward "$pkg/src/faiss.cc" "$patches/faiss.cc.patch"; then
  echo "faiss-node: $patches/faiss.cc.patch does not apply to $upstream (faiss-node not 0.5.1?)" >&2
  exit 1
fi
cp "$patches/safe_index.cc" "$pkg/src/safe_index.cc"

# rebuild, not compile: the sources are globbed at configure time, so a new .cc needs a fresh configure.
(cd "$pkg" && "$root/node_modules/.bin/cmake-js" rebuild --log-level warn "${cmake_args[@]}") >&2

if ! loads; then
  echo "faiss-node: built $addon but it does not load or lacks SafeIndex" >&2
  exit 1
fi
echo "$hash" > "$stamp"
