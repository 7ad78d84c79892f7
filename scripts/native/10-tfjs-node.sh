#!/usr/bin/env bash
# Native TensorFlow backend for @tensorflow/tfjs-node, offline. The package's own installer downloads
# libtensorflow 2.9.1 from Google storage (unreachable here), so its install script is skipped (allowScripts) and
# this step supplies libtensorflow 2.21 from the local wheel index instead: the tensorflow-cpu wheel's
# libtensorflow_cc.so.2 exports the whole TF C API the binding uses. Then the package's installer builds the addon.
# Recipe: docs/dependencies.md, "Offline recipes".
set -euo pipefail
# Only the local wheel index answers here: one quick try at the default index instead of pip's five slow retries.
export PIP_RETRIES=${PIP_RETRIES:-0} PIP_TIMEOUT=${PIP_TIMEOUT:-5}
cd "$(dirname "$0")/../.."
ROOT=$PWD
TF_VERSION=2.21.0
# The wheel index only holds the cp311 build; the C libraries inside do not depend on the local Python.
WHEEL_PYTHON=3.11
WHEEL_CACHE=$ROOT/.cache/wheels

fail() { echo "10-tfjs-node: $*" >&2; exit 1; }

PKG=$(cd gpu-worker && node -p "require('path').dirname(require.resolve('@tensorflow/tfjs-node/package.json'))") \
  || fail "@tensorflow/tfjs-node is not installed (run npm install first)"

# Succeeds only when the addon loads and registers the native backend.
probe_native() {
  TF_CPP_MIN_LOG_LEVEL=3 node -e '
    const tf = require(process.argv[1]);
    if (tf.getBackend() !== "tensorflow") throw new Error(`backend is ${tf.getBackend()}, expected tensorflow`);
  ' "$PKG"
}

probe_native >/dev/null 2>&1 && exit 0

echo "10-tfjs-node: building the native backend of $PKG against libtensorflow $TF_VERSION (20-50 s, longer under load)" >&2

mkdir -p "$WHEEL_CACHE"
wheel=$(find "$WHEEL_CACHE" -maxdepth 1 -name "tensorflow_cpu-$TF_VERSION-*.whl" | head -n1)
if [ -z "$wheel" ]; then
  python3 -m pip download -q --no-deps --only-binary=:all: --python-version "$WHEEL_PYTHON" \
    -d "$WHEEL_CACHE" "tensorflow-cpu==$TF_VERSION" >&2 \
    || fail "pip could not download tensorflow-cpu==$TF_VERSION from the local wheel index (see pip's error above)"
  wheel=$(find "$WHEEL_CACHE" -maxdepth 1 -name "tensorflow_cpu-$TF_VERSION-*.whl" | head -n1)
  [ -n "$wheel" ] || fail "pip succeeded but left no tensorflow_cpu-$TF_VERSION wheel in $WHEEL_CACHE"
fi

deps=$PKG/deps
rm -rf "$deps" "$PKG/build" "$PKG/lib"
mkdir -p "$deps/lib"
unpack=$deps/.unpack
unzip -q "$wheel" -d "$unpack" \
  'tensorflow/libtensorflow_cc.so.2' 'tensorflow/libtensorflow_framework.so.2' \
  'tensorflow/include/tensorflow/c/*' 'tensorflow/include/tensorflow/core/platform/ctstring*' \
  'tensorflow/include/tsl/platform/ctstring*' 'tensorflow/include/xla/tsl/c/*' \
  || { rm -rf "$deps" "$wheel"; fail "could not unpack $wheel (deleted it; rerun to download it again)"; }
mv "$unpack/tensorflow/include" "$deps/include"
mv "$unpack"/tensorflow/libtensorflow_*.so.2 "$deps/lib/"
rm -rf "$unpack"
# The wheel ships full symbol tables (~220 MB) that only a debugger reads; the dynamic symbols stay.
strip --strip-unneeded "$deps"/lib/libtensorflow_*.so.2
# binding.gyp links -ltensorflow -ltensorflow_framework; the installer takes libtensorflow.so.2.9.1 as proof that
# libtensorflow is present and skips its download.
ln -s libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so"
ln -s libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so.2.9.1"
ln -s libtensorflow_framework.so.2 "$deps/lib/libtensorflow_framework.so"

pre_gyp_bin=$(node -p "require('path').resolve(require.resolve('@mapbox/node-pre-gyp/package.json', {paths: [process.argv[1]]}), '../../../.bin')" "$PKG") \
  || fail "@mapbox/node-pre-gyp (a dependency of @tensorflow/tfjs-node) is not installed"
# node-gyp downloads Node's headers unless told where they are; npm passes nodedir from .npmrc, a direct run does not.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix=$(node -p "require('path').resolve(process.execPath, '../..')")
  [ -f "$node_prefix/include/node/node_api.h" ] && export npm_config_nodedir=$node_prefix
fi
# The installer rewrites package.json during the build and leaves it rewritten when the build fails.
cp "$PKG/package.json" "$deps/package.json.orig"
status=0
# build_from_source: skip node-pre-gyp's attempt to download a prebuilt addon.
(cd "$PKG" && PATH="$pre_gyp_bin:$PATH" npm_config_build_from_source=true node scripts/install.js) >&2 || status=$?
mv "$deps/package.json.orig" "$PKG/package.json"
[ "$status" -eq 0 ] || fail "building the tfjs-node addon failed (exit $status; node-gyp's output is above)"

probe_error=$(probe_native 2>&1) || fail "the addon was built but does not load: $probe_error"
echo "10-tfjs-node: native TensorFlow backend ready ($(du -sh "$deps" | cut -f1) in $deps)" >&2
