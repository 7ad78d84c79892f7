"""Anchor for bench/mel.ts: librosa 0.11 log-mel on the same samples, and librosa's own load + log-mel pipeline.

usage: mel.py SAMPLES.f32 AUDIO_FILE...
Warms up, prints "ready", then answers one command per line on stdin with one number per line, so the caller can
alternate its own rounds with these and both sides see the same machine load:
  clips N   → steady-state ms per clip over N log-mels of SAMPLES
  pipeline  → clips/s over load + log-mel of every AUDIO_FILE
  cpu       → CPU seconds this process has used so far (all its threads)
"""
import sys
import time

import librosa
import numpy as np

samples_path, files = sys.argv[1], sys.argv[2:]
y = np.fromfile(samples_path, dtype="<f4")
params = dict(sr=22050, n_fft=2048, hop_length=1024, center=False, power=2, n_mels=128, fmin=0, fmax=11025)


def log_mel(samples):
    return np.log1p(10000 * librosa.feature.melspectrogram(y=samples, **params))


def pipeline():
    # The same excerpt position decodeExcerpt takes: 614,400 samples centred on the middle.
    start = time.perf_counter()
    for path in files:
        duration = librosa.get_duration(path=path)
        offset = max(0.0, (duration - 614400 / 22050) / 2)
        clip, _ = librosa.load(path, sr=22050, mono=True, offset=offset, duration=614400 / 22050)
        log_mel(clip)
    return len(files) / (time.perf_counter() - start)


for _ in range(10):
    log_mel(y)
pipeline()
print("ready", flush=True)
for line in sys.stdin:
    command = line.split()
    if command[0] == "clips":
        start = time.perf_counter()
        for _ in range(int(command[1])):
            log_mel(y)
        print((time.perf_counter() - start) * 1000 / int(command[1]), flush=True)
    elif command[0] == "pipeline":
        print(pipeline(), flush=True)
    elif command[0] == "cpu":
        print(time.process_time(), flush=True)
    else:
        sys.exit(f"unknown command {line!r}")
