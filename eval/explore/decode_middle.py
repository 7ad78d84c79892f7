"""The middle-excerpt log-mel of every audio file under CORPUS/<package>/ (one package = one album), as the
feature cache holds it (22050 Hz mono, 614,400 samples centred on the track, librosa melspectrogram n_fft 2048,
hop 1024, 128 bands, center=False, log1p(10000 * power)); for exploration before (or without) `curator ingest`.
Tracks under 30 s are left out (the corpus marks them short). Resumable: one .npy per file in OUT.

Usage: .venv/bin/python eval/explore/decode_middle.py CORPUS OUT [reverse]  (a second process in reverse order shares the work)
"""
import hashlib
import os
import subprocess
import sys

import librosa
import numpy as np

EXTS = {".ogg", ".opus", ".mp3", ".flac", ".wav", ".mod", ".it", ".s3m", ".xm"}
SAMPLES = 614_400
SR = 22050


def duration(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], capture_output=True, text=True)
    try:
        return float(out.stdout.strip())
    except ValueError:
        return None


def middle(path, seconds):
    start = max(0.0, (seconds - SAMPLES / SR) / 2)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{start:.3f}", "-i", path, "-t", f"{SAMPLES / SR + 0.5:.3f}", "-ac", "1", "-ar", str(SR), "-f", "f32le", "-"],
        capture_output=True,
    ).stdout
    y = np.frombuffer(raw, "<f4")[:SAMPLES]
    if len(y) < SAMPLES:
        y = np.pad(y, (0, SAMPLES - len(y)))
    mel = librosa.feature.melspectrogram(y=y, sr=SR, n_fft=2048, hop_length=1024, center=False, n_mels=128, fmin=0, fmax=11025, power=2)
    return np.log1p(10000 * mel).T.astype(np.float32)


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for pkg in sorted(os.listdir(corpus), reverse=len(sys.argv) > 3 and sys.argv[3] == "reverse"):
        root = os.path.join(corpus, pkg)
        if not os.path.isdir(root) or pkg.endswith(".partial"):
            continue
        for dirpath, _, files in os.walk(root):
            for name in sorted(files):
                if os.path.splitext(name)[1].lower() not in EXTS:
                    continue
                path = os.path.join(dirpath, name)
                key = hashlib.sha1(path.encode()).hexdigest()[:12]
                target = os.path.join(out, f"{pkg}__{key}.npy")
                if os.path.exists(target) or os.path.exists(target + ".short"):
                    continue
                seconds = duration(path)
                if seconds is None or seconds < 30:
                    open(target + ".short", "w").close()
                    continue
                np.save(target, middle(path, seconds))
                print(pkg, name, flush=True)


if __name__ == "__main__":
    main()
