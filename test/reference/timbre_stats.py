"""Reference for timbreStatistics (test/unit/timbre-stats.test.ts), by librosa 0.11 where librosa has the feature
(MFCC from the mel power, librosa.feature.delta, spectral_flatness) and NumPy for the mel-band contrast and flux.

usage: timbre_stats.py LOGMEL.f32 FRAMES OUT.f32
LOGMEL.f32: time-major log(1 + 10000 * mel power), FRAMES x 128, float32 little-endian.
Writes the statistics in timbreStatisticNames' order as float32.
"""
import sys

import librosa
import numpy as np

BANDS = [(0, 8), (8, 16), (16, 32), (32, 48), (48, 64), (64, 96), (96, 128)]

logmel = np.fromfile(sys.argv[1], dtype="<f4").astype(np.float64).reshape(int(sys.argv[2]), 128)
power = np.expm1(logmel) / 10000
db = librosa.power_to_db(power.T, ref=1.0, amin=1e-10, top_db=80.0)  # bands x frames
mfcc = librosa.feature.mfcc(S=db, n_mfcc=20)
delta = librosa.feature.delta(mfcc, width=9, order=1, axis=-1)
flatness = librosa.feature.spectral_flatness(S=np.sqrt(power.T), power=2.0, amin=1e-10)[0]
contrast = []
for lo, hi in BANDS:
    part = np.sort(db[lo:hi], axis=0)
    q = max(1, int(np.floor(0.2 * (hi - lo) + 0.5)))
    valley = part[:q].mean(0)
    contrast += [part[-q:].mean(0) - valley, valley]
contrast = np.stack(contrast)
flux = np.maximum(0, np.diff(db, axis=1)).mean(0)


def mean_sd(x):
    x = np.atleast_2d(x)
    return np.concatenate([x.mean(1), x.std(1)])


out = np.concatenate([mean_sd(mfcc), mean_sd(delta), mean_sd(contrast), mean_sd(flatness), mean_sd(flux)])
out.astype("<f4").tofile(sys.argv[3])
