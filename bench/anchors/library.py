"""Anchor for bench/library.ts: the same per-track analysis in librosa 0.11 + PyTorch CPU, one track after another.

usage: library.py --options JSON --threads N --passes P FILE...
Per track: duration (soundfile), the middle 614,400-sample excerpt and the whole track at 22,050 Hz (librosa.load),
log-mel of the excerpt and of the whole track's 599-frame windows, chroma of the excerpt, the network on the excerpt
and on the windows with P MC-dropout passes each, first-layer and last-hidden activations of the excerpt (forward
hooks), the excerpt's loudness / flatness / centroid / onset signals, and the whole track's loudness envelope from an
8 kHz load (50 ms frames). Every file is analysed once as a warm-up, then once timed; prints one JSON object with the
timed pass's CPU seconds (this process's threads and any children, e.g. audioread's ffmpeg) and wall seconds.
"""
import argparse
import json
import resource
import sys
import time

from convnet_torch import build, set_threads

parser = argparse.ArgumentParser()
parser.add_argument("--options", required=True)
parser.add_argument("--threads", type=int, required=True)
parser.add_argument("--passes", type=int, required=True)
parser.add_argument("files", nargs="+")
args = parser.parse_args()

torch = set_threads(args.threads)
import librosa  # noqa: E402  (after the thread variables are set)
import numpy as np  # noqa: E402
import soundfile  # noqa: E402

options = json.loads(args.options)
torch.manual_seed(0)
model = build(torch, options)
SR, N_FFT, HOP, EXCERPT, WINDOW = 22050, 2048, 1024, 614400, 599
MEL = dict(sr=SR, n_fft=N_FFT, hop_length=HOP, center=False, power=2, n_mels=options["melBins"], fmin=0, fmax=SR / 2)
# The first conv's ReLU and the last hidden dense layer's ReLU: what the activations stage reads.
relus = [m for m in model if isinstance(m, torch.nn.ReLU)]
taps = {}
relus[0].register_forward_hook(lambda _m, _i, out: taps.__setitem__("conv", out))
relus[-1].register_forward_hook(lambda _m, _i, out: taps.__setitem__("hidden", out))


def log_mel(y):
    return np.log1p(10000 * librosa.feature.melspectrogram(y=y, **MEL))


def predict(windows):
    """Mean factors over the windows, and the MC-dropout spread (mean std over passes and dimensions)."""
    x = torch.from_numpy(np.ascontiguousarray(np.stack(windows))).float()
    with torch.inference_mode():
        model.eval()
        factors = model(x).mean(dim=0)
        model.train()
        passes = torch.stack([model(x) for _ in range(args.passes)])
        model.eval()
    return factors, passes.std(dim=0).mean()


def analyse(path):
    duration = soundfile.info(path).duration
    offset = max(0.0, (duration - EXCERPT / SR) / 2)
    excerpt, _ = librosa.load(path, sr=SR, mono=True, offset=offset, duration=EXCERPT / SR)
    excerpt = np.pad(excerpt, (0, max(0, EXCERPT - len(excerpt))))
    whole, _ = librosa.load(path, sr=SR, mono=True)
    middle = log_mel(excerpt)
    windows = [log_mel(whole[w * WINDOW * HOP : w * WINDOW * HOP + (WINDOW - 1) * HOP + N_FFT]) for w in range((1 + (len(whole) - N_FFT) // HOP) // WINDOW)]
    librosa.feature.chroma_stft(y=excerpt, sr=SR, n_fft=N_FFT, hop_length=HOP, center=False)
    predict([middle])
    predict(windows or [middle])
    with torch.inference_mode():
        model(torch.from_numpy(middle[None]).float())
        conv = taps["conv"]
        conv.amax(dim=2), conv.mean(dim=2), taps["hidden"]
    power = np.expm1(middle) / 10000
    energy_db = 10 * np.log10(power.sum(axis=0) + 1e-10)
    energy_db.mean(), energy_db.std()
    librosa.feature.spectral_flatness(S=power, power=1.0)
    librosa.feature.spectral_centroid(S=power, sr=SR, n_fft=N_FFT)
    librosa.onset.onset_strength(S=middle, sr=SR, hop_length=HOP)
    low, _ = librosa.load(path, sr=8000, mono=True)
    frames = librosa.util.frame(low, frame_length=400, hop_length=400)
    levels = 10 * np.log10((frames * frames).mean(axis=0) + 1e-10)
    np.convolve(levels, np.ones(20) / 20, mode="same")


def cpu_seconds():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


for path in args.files:
    analyse(path)
wall, cpu = time.perf_counter(), cpu_seconds()
for path in args.files:
    analyse(path)
wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
print(json.dumps({"tracks": len(args.files), "cpu_s": cpu, "wall_s": wall, "librosa": librosa.__version__, "torch": torch.__version__}))
sys.stdout.flush()
