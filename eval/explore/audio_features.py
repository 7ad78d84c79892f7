"""Exploration for issue 22 (docs/experiments/2026-12-07-audio-features.md): which summary of a track's cached
log-mel tells unseen albums apart. Label-free measure only ("sounds alike": among the tracks of held-out albums,
same-album pairs against other-album pairs by cosine, a pair AUC), with every fitted step (z-score, PCA, k-means)
fitted on the other albums only, as `eval coldstart --split album` deals them. The ranking AUC of the winner is
measured in TypeScript by `npm run eval -- coldstart --split album`.

Usage: .venv/bin/python eval/explore/audio_features.py data/full/curator.db|MELS_DIR [folds] [seeds] [kmeans]
"""
import os
import sqlite3
import sys

import numpy as np
from scipy.fft import dct

LOG_SCALE = 1e4


def load(db_path):
    if os.path.isdir(db_path):
        # decode_middle.py's output: <package>__<key>.npy, one package = one album.
        names = sorted(n for n in os.listdir(db_path) if n.endswith(".npy"))
        pkgs = sorted({n.split("__")[0] for n in names})
        albums = np.array([pkgs.index(n.split("__")[0]) for n in names])
        return np.arange(len(names)), albums, [np.load(os.path.join(db_path, n)).astype(np.float64) for n in names]
    con = sqlite3.connect(db_path)
    rows = con.execute(
        "SELECT t.id, t.albumId, f.path FROM Track t JOIN FeatureCache f ON f.trackId = t.id "
        "WHERE f.mode = 'MIDDLE' AND t.albumId IS NOT NULL ORDER BY t.id"
    ).fetchall()
    ids, albums, mels = [], [], []
    for tid, album, path in rows:
        with open(path, "rb") as fh:
            head = fh.read(16)
            n, c = np.frombuffer(head[4:12], "<u4")
            data = np.frombuffer(fh.read(), "<f4").reshape(n, c)
        ids.append(tid)
        albums.append(album)
        mels.append(data.astype(np.float64))
    return np.array(ids), np.array(albums), mels


def to_db(logmel):
    power = np.expm1(logmel) / LOG_SCALE
    db = 10 * np.log10(np.maximum(power, 1e-10))
    return np.maximum(db, db.max() - 80)


def mfcc(logmel, n=20):
    return dct(to_db(logmel), type=2, norm="ortho", axis=1)[:, :n]


def delta(x, width=9):
    # librosa.feature.delta (savgol, mode interp) is close to this regression slope over +-4 frames.
    half = width // 2
    pad = np.pad(x, ((half, half), (0, 0)), mode="edge")
    k = np.arange(-half, half + 1)
    out = sum(k[j] * pad[j: j + len(x)] for j in range(width)) / np.sum(k * k)
    return out


def mean_sd(x):
    return np.concatenate([x.mean(0), x.std(0)])


def contrast(logmel, bands=((0, 8), (8, 16), (16, 32), (32, 48), (48, 64), (64, 96), (96, 128))):
    db = to_db(logmel)
    out = []
    for lo, hi in bands:
        sub = np.sort(db[:, lo:hi], axis=1)
        q = max(1, int(round(0.2 * (hi - lo))))
        out.append(sub[:, -q:].mean(1) - sub[:, :q].mean(1))
        out.append(sub[:, :q].mean(1))
    return np.stack(out, 1)


def flatness(logmel):
    p = np.expm1(logmel) / LOG_SCALE + 1e-10
    return (np.exp(np.log(p).mean(1)) / p.mean(1))[:, None]


def onset(logmel):
    db = to_db(logmel)
    flux = np.maximum(0, np.diff(db, axis=0)).mean(1)
    f = flux - flux.mean()
    ac = np.correlate(f, f, "full")[len(f) - 1:]
    ac = ac / (ac[0] + 1e-9)
    # lags 5..40 frames at 1024/22050 s: 70..600 bpm-ish range; strongest periodicity and its lag
    lag = 5 + int(np.argmax(ac[5:41]))
    peaks = np.sum((flux[1:-1] > flux[:-2]) & (flux[1:-1] > flux[2:]) & (flux[1:-1] > flux.mean() + flux.std()))
    return np.array([flux.mean(), flux.std(), ac[lag], np.log(lag), peaks / len(flux)])


def cov_upper(x):
    c = np.corrcoef(x.T)
    iu = np.triu_indices(c.shape[0], 1)
    return np.nan_to_num(c[iu])


def feature_sets(mels):
    m = [mfcc(x) for x in mels]
    d = [delta(x) for x in m]
    sets = {
        "MFCC mean+sd": [mean_sd(x) for x in m],
        "log-mel mean+sd": [mean_sd(x) for x in mels],
        "MFCC+delta mean+sd": [np.concatenate([mean_sd(a), mean_sd(b)]) for a, b in zip(m, d)],
        "contrast mean+sd": [mean_sd(contrast(x)) for x in mels],
        "flatness+onset": [np.concatenate([mean_sd(flatness(x)), onset(x)]) for x in mels],
        "MFCC correlations": [cov_upper(x) for x in m],
    }
    sets["timbre stats (MFCC+delta+contrast+flatness+onset)"] = [
        np.concatenate(p) for p in zip(sets["MFCC+delta mean+sd"], sets["contrast mean+sd"], sets["flatness+onset"])
    ]
    sets["timbre stats + correlations"] = [np.concatenate(p) for p in zip(sets["timbre stats (MFCC+delta+contrast+flatness+onset)"], sets["MFCC correlations"])]
    return {k: np.array(v) for k, v in sets.items()}


def pair_auc(x, groups):
    u = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-12)
    s = u @ u.T
    iu = np.triu_indices(len(x), 1)
    scores = s[iu]
    same = (groups[:, None] == groups[None, :])[iu]
    ranks = scores.argsort().argsort() + 1.0
    n1, n0 = same.sum(), (~same).sum()
    return (ranks[same].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def zscore(x, fit):
    mu, sd = x[fit].mean(0), x[fit].std(0) + 1e-9
    return (x - mu) / sd


def whiten(x, fit, keep=0.99, eps=1e-3):
    mu = x[fit].mean(0)
    xc = x[fit] - mu
    u, s, vt = np.linalg.svd(xc, full_matrices=False)
    var = s ** 2 / len(xc)
    k = int(np.searchsorted(np.cumsum(var) / var.sum(), keep)) + 1
    return (x - mu) @ vt[:k].T / np.sqrt(var[:k] + eps * var[0])


def patches(logmel, width=4, stride=2, bands=32):
    # 128 mel bands averaged to `bands` (4 each), `width` frames per patch.
    x = logmel.reshape(len(logmel), bands, -1).mean(2)
    idx = range(0, len(x) - width + 1, stride)
    return np.stack([x[i: i + width].ravel() for i in idx])


def spherical_kmeans(x, k, seed, iters=20):
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), k, replace=False)]
    c /= np.linalg.norm(c, axis=1, keepdims=True) + 1e-9
    for _ in range(iters):
        a = np.argmax(x @ c.T, 1)
        new = np.zeros_like(c)
        np.add.at(new, a, x)
        empty = np.linalg.norm(new, axis=1) < 1e-9
        new[empty] = x[rng.choice(len(x), empty.sum(), replace=False)]
        c = new / (np.linalg.norm(new, axis=1, keepdims=True) + 1e-9)
    return c


def kmeans_features(mels, fit, seed, k=256):
    """Dieleman & Schrauwen 2013: PCA-whitened log-mel patches, spherical k-means on the fit tracks, each track's
    mean and max of the rectified (|.| - thr) patch-centroid dot products."""
    per = [patches(x) for x in mels]
    sample = np.concatenate([per[i][:: 3] for i in fit])
    mu = sample.mean(0)
    u, s, vt = np.linalg.svd(sample - mu, full_matrices=False)
    var = s ** 2 / len(sample)
    keep = int(np.searchsorted(np.cumsum(var) / var.sum(), 0.99)) + 1
    w = vt[:keep].T / np.sqrt(var[:keep] + 0.01 * var[0])
    white = lambda p: (lambda z: z / (np.linalg.norm(z, axis=1, keepdims=True) + 1e-9))((p - mu) @ w)
    c = spherical_kmeans(white(sample), k, seed)
    out = []
    for p in per:
        a = np.maximum(0, white(p) @ c.T - 0.3)  # threshold: sparse activations
        out.append(np.concatenate([a.mean(0), a.max(0)]))
    return np.array(out)


def main():
    db = sys.argv[1]
    folds = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    ids, albums, mels = load(db)
    sets = feature_sets(mels)
    extra = sys.argv[4].split(",") if len(sys.argv) > 4 else []
    print(f"{len(ids)} tracks, {len(set(albums))} albums", flush=True)
    results = {}
    uniq = np.unique(albums)
    for seed in range(1, seeds + 1):
        rng = np.random.default_rng(seed * 7919)
        deal = rng.permutation(uniq)
        for f in range(folds):
            held = set(deal[f::folds])
            test = np.array([a in held for a in albums])
            fit = ~test
            for name, x in sets.items():
                results.setdefault(f"{name} raw", []).append(pair_auc(x[test], albums[test]))
                results.setdefault(f"{name} z", []).append(pair_auc(zscore(x, fit)[test], albums[test]))
                results.setdefault(f"{name} PCA-white", []).append(pair_auc(whiten(x, fit)[test], albums[test]))
                results.setdefault(f"{name} z, PCA-white", []).append(pair_auc(whiten(zscore(x, fit), fit)[test], albums[test]))
                results.setdefault(f"{name} z, PCA-white 95%", []).append(pair_auc(whiten(zscore(x, fit), fit, keep=0.95)[test], albums[test]))
            if "kmeans" in extra:
                km = kmeans_features(mels, np.where(fit)[0], seed)
                results.setdefault("k-means patches z", []).append(pair_auc(zscore(km, fit)[test], albums[test]))
                both = np.concatenate([zscore(km, fit), zscore(sets["timbre stats (MFCC+delta+contrast+flatness+onset)"], fit)], 1)
                results.setdefault("k-means + timbre stats z", []).append(pair_auc(both[test], albums[test]))
            print(f"seed {seed} fold {f + 1}: {test.sum()} held-out tracks", flush=True)
    print("| features | sounds alike | sd over folds×seeds |\n| --- | --- | --- |")
    for name, v in results.items():
        print(f"| {name} | {np.nanmean(v):.3f} | {np.nanstd(v):.3f} |")


if __name__ == "__main__":
    main()
