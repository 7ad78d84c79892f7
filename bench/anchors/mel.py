"""Anchor for bench/mel.ts: librosa 0.11 log-mel on the same samples, and librosa's own load + log-mel pipeline.

usage: mel.py SAMPLES.f32 ROUNDS CLIPS_PER_ROUND AUDIO_FILE...
Prints one JSON line: steady-state ms per clip (median over rounds, after warm-up) and pipeline clips/s.
"""
import json
import sys
import time

import librosa
import numpy as np

samples_path, rounds, per_round, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
y = np.fromfile(samples_path, dtype="<f4")
params = dict(sr=22050, n_fft=2048, hop_length=1024, center=False, power=2, n_mels=128, fmin=0, fmax=11025)


def log_mel(samples):
    return np.log1p(10000 * librosa.feature.melspectrogram(y=samples, **params))


for _ in range(10):
    log_mel(y)
times = []
for _ in range(rounds):
    start = time.perf_counter()
    for _ in range(per_round):
        log_mel(y)
    times.append((time.perf_counter() - start) * 1000 / per_round)

# The same excerpt position decodeExcerpt takes: 614,400 samples centred on the middle.
start = time.perf_counter()
for path in files:
    duration = librosa.get_duration(path=path)
    offset = max(0.0, (duration - 614400 / 22050) / 2)
    clip, _ = librosa.load(path, sr=22050, mono=True, offset=offset, duration=614400 / 22050)
    log_mel(clip)
pipeline = len(files) / (time.perf_counter() - start)
print(json.dumps({"ms_per_clip": float(np.median(times)), "pipeline_clips_per_s": pipeline}))
