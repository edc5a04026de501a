#!/usr/bin/env bash
# Writes the FLAC and MP3 files under test-data/audio/ from the WAV files that
# scripts/make-test-audio.py makes. Needs sox, flac and lame (Debian: apt-get install sox flac lame).
# The outputs are committed; this documents how they were made.
set -euo pipefail
cd "$(dirname "$0")/../test-data/audio"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flac -s -f -8 -o sine-1k-16k-mono.flac sine-1k-16k-mono.wav
sox speechlike-44k-stereo.wav -r 22050 "$tmp/speechlike-22k-stereo.wav"
flac -s -f -8 -o speechlike-22k-stereo.flac "$tmp/speechlike-22k-stereo.wav"
lame --quiet -b 64 sine-1k-16k-mono.wav sine-1k-16k-mono.mp3
