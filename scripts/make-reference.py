#!/usr/bin/env python3
"""Measures the reference recordings with the reference tools and writes
test-data/reference/expected.json, which ReferenceToolsITCase compares audioflow against.

Needs sox, ffmpeg and aubio-tools, and the recordings from alsa-utils and codec2-examples
(Debian: apt-get install sox ffmpeg aubio-tools alsa-utils codec2-examples). CI does not run
this script: it only needs the recordings (.ci/run installs those two packages).

What each value is:
  sox_*        `sox FILE -n stats`, the "Overall" column (Pk lev dB, RMS lev dB, DC offset)
  ffmpeg_zcr   `ffmpeg -af astats`, mean over channels of "Zero crossings rate"
  ffmpeg_i / ffmpeg_tp
               `ffmpeg -af ebur128=peak=true:metadata=1`, the last frame's lavfi.r128.I and
               lavfi.r128.true_peak (in dB), which carry more digits than the summary
  aubio_median_hz
               median of `aubiopitch -p yin -B 512 -H 512 -l 0.2` over frames with a pitch
               in [60, 1000] Hz, run on the recording resampled by sox to 16 kHz mono (the
               format the default pipeline's pitch stage sees)

Composed recordings (under "composed") are built from the ones above, the way ReferenceToolsITCase
builds them again: a telephone call is codec2's 8 kHz prompts one after another, ending with a
steady beep, as call-centre recordings do. Its aubio_median_hz is measured on the speech alone,
because the median pitch of a call is its speaker's; aubio_median_hz_with_beep on the whole call.
"""
import json, math, os, re, statistics, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RAW_8K = ["hts1a.raw", "kristoff.raw", "mmt1.raw", "vk5qi.raw", "ve9qrp_10s.raw"]
RECORDINGS = (
    [("test-data/audio/" + f, None) for f in sorted(os.listdir(os.path.join(ROOT, "test-data/audio"))) if f.endswith(".wav")]
    + [("/usr/share/codec2/raw/" + f, ("s16le", 8000, 1)) for f in RAW_8K]
    + [("/usr/share/codec2/raw/speech_orig_16k.wav", None),
       ("/usr/share/sounds/alsa/Front_Center.wav", None),
       ("/usr/share/sounds/alsa/Front_Left.wav", None)]
)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True)


def sox_input(path, raw):
    return ["-t", "raw", "-r", str(raw[1]), "-e", "signed", "-b", "16", "-c", str(raw[2]), path] if raw else [path]


def ffmpeg_input(path, raw):
    return ["-f", raw[0], "-ar", str(raw[1]), "-ac", str(raw[2]), "-i", path] if raw else ["-i", path]


def measure(path, raw):
    full = path if os.path.isabs(path) else os.path.join(ROOT, path)
    stats = run(["sox"] + sox_input(full, raw) + ["-n", "stats"]).stderr
    def sox(label):
        m = re.search(r"^" + re.escape(label) + r"\s+(\S+)", stats, re.M)
        return float(m.group(1))
    astats = run(["ffmpeg", "-hide_banner", "-nostats"] + ffmpeg_input(full, raw) + ["-af", "astats", "-f", "null", "-"]).stderr
    zcr = [float(v) for v in re.findall(r"Zero crossings rate: (\S+)", astats)]
    channels = len(zcr) - 1 if len(zcr) > 1 else 1  # the last one is the Overall section
    with tempfile.TemporaryDirectory() as tmp:
        meta = os.path.join(tmp, "meta.txt")
        run(["ffmpeg", "-hide_banner", "-nostats"] + ffmpeg_input(full, raw)
            + ["-af", "ebur128=peak=true:metadata=1,ametadata=print:file=" + meta, "-f", "null", "-"])
        text = open(meta).read()
        i = float(re.findall(r"lavfi.r128.I=(\S+)", text)[-1])
        tp = float(re.findall(r"lavfi.r128.true_peak=(\S+)", text)[-1])
        mono16k = os.path.join(tmp, "mono16k.wav")
        run(["sox"] + sox_input(full, raw) + ["-r", "16000", "-c", "1", "-b", "16", mono16k])
        out = run(["aubiopitch", "-i", mono16k, "-p", "yin", "-B", "512", "-H", "512", "-l", "0.2"]).stdout
        pitches = [float(line.split()[1]) for line in out.splitlines() if line.strip()]
        voiced = [p for p in pitches if 60 <= p <= 1000]
    return {
        "raw": {"format": "pcm_" + raw[0], "sample_rate": raw[1], "channels": raw[2]} if raw else None,
        "sox_peak_dbfs": sox("Pk lev dB"),
        "sox_rms_dbfs": sox("RMS lev dB"),
        "sox_dc_offset": sox("DC offset"),
        "ffmpeg_zcr": statistics.mean(zcr[:channels]),
        "ffmpeg_i": i,
        "ffmpeg_tp": 20 * math.log10(tp) if tp > 0 else None,
        "aubio_median_hz": statistics.median(voiced) if len(voiced) >= 5 else None,
        "aubio_voiced_frames": len(voiced),
    }


COMPOSED = {
    "telephone-call-8k": {"parts": RAW_8K, "beep_hz": 493.88, "beep_seconds": 12.0, "beep_amplitude": 0.3},
}


def beep_bytes(spec):
    n = int(round(8000 * spec["beep_seconds"]))
    amp = spec["beep_amplitude"] * 32767
    # floor(x + 0.5) is Java's Math.round, which the test uses to build the same samples
    return b"".join(int(math.floor(amp * math.sin(2 * math.pi * spec["beep_hz"] * i / 8000) + 0.5))
                    .to_bytes(2, "little", signed=True) for i in range(n))


def compose(name, spec):
    speech = b"".join(open("/usr/share/codec2/raw/" + part, "rb").read() for part in spec["parts"])
    with tempfile.TemporaryDirectory() as tmp:
        speech_path = os.path.join(tmp, name + "-speech.raw")
        call_path = os.path.join(tmp, name + ".raw")
        open(speech_path, "wb").write(speech)
        open(call_path, "wb").write(speech + beep_bytes(spec))
        alone = measure(speech_path, ("s16le", 8000, 1))
        call = measure(call_path, ("s16le", 8000, 1))
    return dict(spec, speech_seconds=len(speech) / 16000,
                aubio_median_hz=alone["aubio_median_hz"], aubio_voiced_frames=alone["aubio_voiced_frames"],
                aubio_median_hz_with_beep=call["aubio_median_hz"])


def main():
    versions = {
        "sox": run(["sox", "--version"]).stdout.strip(),
        "ffmpeg": run(["ffmpeg", "-version"]).stdout.splitlines()[0],
        "aubio": run(["dpkg-query", "-W", "-f=${Version}", "aubio-tools"]).stdout.strip(),
    }
    result = {"tools": versions, "recordings": {}}
    for path, raw in RECORDINGS:
        print("measuring", path, file=sys.stderr)
        result["recordings"][path] = measure(path, raw)
    result["composed"] = {name: compose(name, spec) for name, spec in COMPOSED.items()}
    out = os.path.join(ROOT, "test-data/reference/expected.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
