"""Reference values for logmel-librosa.test.ts, computed by librosa 0.11 on samples the test decoded.

usage: librosa_reference.py SAMPLES.f32 OUT_DIR
Writes, all float32 little-endian: filterbank.f32 (128 x 1025, band-major), chroma_filterbank.f32 (12 x 1025),
logmel.f32, mfcc.f32 and chroma.f32 (time-major).
"""
import sys

import librosa
import numpy as np

samples_path, out_dir = sys.argv[1], sys.argv[2]
y = np.fromfile(samples_path, dtype="<f4")
params = dict(sr=22050, n_fft=2048, hop_length=1024, center=False, n_mels=128, fmin=0, fmax=11025)

librosa.filters.mel(sr=22050, n_fft=2048, n_mels=128, fmin=0, fmax=11025, htk=False, norm="slaney").astype("<f4").tofile(
    f"{out_dir}/filterbank.f32"
)
mel = librosa.feature.melspectrogram(y=y, power=2, **params)
np.log1p(10000 * mel).T.astype("<f4").tofile(f"{out_dir}/logmel.f32")
librosa.feature.mfcc(y=y, n_mfcc=20, **params).T.astype("<f4").tofile(f"{out_dir}/mfcc.f32")
librosa.filters.chroma(sr=22050, n_fft=2048, n_chroma=12, tuning=0.0).astype("<f4").tofile(f"{out_dir}/chroma_filterbank.f32")
librosa.feature.chroma_stft(y=y, sr=22050, n_fft=2048, hop_length=1024, center=False, tuning=0.0).T.astype("<f4").tofile(
    f"{out_dir}/chroma.f32"
)
