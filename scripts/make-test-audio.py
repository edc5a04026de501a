#!/usr/bin/env python3
"""Writes the synthetic recordings under test-data/audio/ (deterministic: fixed seeds).

Run from the repository root: python3 scripts/make-test-audio.py
The files are committed; this script documents exactly what they contain.
"""
import math, random, struct, wave, os

OUT = os.path.join(os.path.dirname(__file__), "..", "test-data", "audio")

def write(name, rate, channels, frames, sampwidth=2):
    path = os.path.join(OUT, name)
    with wave.open(path, "wb") as w:
        w.setnchannels(channels); w.setsampwidth(sampwidth); w.setframerate(rate)
        data = bytearray()
        for f in frames:
            for s in f:
                v = max(-32768, min(32767, int(round(s * 32767))))
                data += struct.pack("<h", v)
        w.writeframes(bytes(data))

def tone(rate, seconds, freq, amp):
    return [(amp * math.sin(2 * math.pi * freq * n / rate),) for n in range(int(rate * seconds))]

def main():
    os.makedirs(OUT, exist_ok=True)
    rnd = random.Random(42)
    # 1 kHz sine at -6 dBFS, 16 kHz mono, 2 s: peak -6.02 dBFS, RMS -9.03 dBFS.
    write("sine-1k-16k-mono.wav", 16000, 1, tone(16000, 2.0, 1000, 0.5))
    # "Speech-like": 220 Hz harmonic bursts (syllables) separated by low noise, 44.1 kHz stereo, 3 s.
    rate, frames = 44100, []
    for n in range(rate * 3):
        t = n / rate
        voiced = (int(t * 4) % 2) == 0
        s = sum(0.25 / k * math.sin(2 * math.pi * 220 * k * t) for k in range(1, 6)) if voiced else 0.0
        s += rnd.gauss(0, 0.003)
        frames.append((s, 0.8 * s))
    write("speechlike-44k-stereo.wav", rate, 2, frames)
    # Clipped: a 200 Hz sine driven to 1.5x full scale, 8 kHz mono, 1 s.
    write("clipped-8k-mono.wav", 8000, 1, [(max(-1.0, min(1.0, 1.5 * math.sin(2 * math.pi * 200 * n / 8000))),) for n in range(8000)])
    # Near-silence: white noise at -60 dBFS RMS, 16 kHz mono, 1.5 s.
    write("quiet-noise-16k-mono.wav", 16000, 1, [(rnd.gauss(0, 0.001),) for _ in range(24000)])

if __name__ == "__main__":
    main()
