#!/usr/bin/env bash
# Regenerates test/fixtures/media/: small media files of known dimensions and durations, made by
# a real encoder so the browser tests probe what users upload. Needs ffmpeg (Debian: `apt-get
# install -y ffmpeg`, built here with 5.1) and node. test/fixtures/media/README.md lists each file.
set -euo pipefail

out="$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/media"
mkdir -p "$out"
cd "$out"

# -bitexact and no metadata: the same ffmpeg build gives the same bytes on every run.
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
exact=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)
picture() { echo "testsrc2=size=$1:rate=1:duration=1"; }

# Still images: one frame each, every size distinct so a swapped or misread dimension shows.
ff -f lavfi -i "$(picture 64x48)" -frames:v 1 "${exact[@]}" image-64x48.png
ff -f lavfi -i "$(picture 40x30)" -frames:v 1 "${exact[@]}" image-40x30.gif
ff -f lavfi -i "$(picture 50x20)" -frames:v 1 -c:v libwebp -quality 50 "${exact[@]}" image-50x20.webp
ff -f lavfi -i "$(picture 64x32)" -frames:v 1 -c:v libaom-av1 -still-picture 1 -crf 50 \
  -pix_fmt yuv420p "${exact[@]}" image-64x32.avif

# A JPEG stored 64 wide and 48 tall whose EXIF orientation 6 says "rotate 90° clockwise to
# display": it shows 48 wide and 64 tall. ffmpeg writes no EXIF, so an APP1 segment holding a
# one-entry IFD0 (tag 0x0112 Orientation, SHORT, value 6) is put right after the SOI marker.
ff -f lavfi -i "$(picture 64x48)" -frames:v 1 -q:v 8 "${exact[@]}" stored-64x48.tmp.jpg
node - stored-64x48.tmp.jpg photo-exif6-48x64.jpg <<'JS'
const fs = require('node:fs')
const [src, dest] = process.argv.slice(2)
const jpeg = fs.readFileSync(src)
const tiff = Buffer.from([
  0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at offset 8
  0x00, 0x01, // one entry
  0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation = 6
  0x00, 0x00, 0x00, 0x00, // no next IFD
])
const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
const length = Buffer.alloc(2)
length.writeUInt16BE(payload.length + 2)
const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), length, payload])
fs.writeFileSync(dest, Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]))
JS
rm stored-64x48.tmp.jpg

# Videos: 160x90, 2 s, with a 440 Hz tone. faststart puts the MP4 index first, as a browser needs
# to read metadata without the whole file.
vsrc=(-f lavfi -i "testsrc2=size=160x90:rate=10:duration=2" -f lavfi -i "sine=frequency=440:duration=2:sample_rate=48000")
ff "${vsrc[@]}" -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 40 -c:a aac -b:a 32k \
  -movflags +faststart "${exact[@]}" video-160x90-2s.mp4
ff "${vsrc[@]}" -c:v libvpx-vp9 -crf 50 -b:v 0 -c:a libopus -b:a 24k "${exact[@]}" video-160x90-2s.webm
ff "${vsrc[@]}" -c:v libx264 -profile:v baseline -pix_fmt yuv420p -crf 40 -c:a aac -b:a 32k \
  -movflags +faststart "${exact[@]}" video-160x90-2s.mov
# Written to a pipe, the WebM muxer cannot seek back to fill in the duration (as MediaRecorder
# output): the browser first reports Infinity.
ff "${vsrc[@]}" -c:v libvpx -b:v 50k -c:a libopus -b:a 24k "${exact[@]}" -f webm pipe:1 \
  >video-160x90-2s-no-duration.webm

# Audio: 1.5 s tones, mono.
asrc=(-f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=8000")
ff "${asrc[@]}" "${exact[@]}" -c:a pcm_s16le audio-1.5s.wav
asrc=(-f lavfi -i "sine=frequency=440:duration=1.5:sample_rate=44100")
ff "${asrc[@]}" "${exact[@]}" -c:a libmp3lame -b:a 32k audio-1.5s.mp3
ff "${asrc[@]}" "${exact[@]}" -c:a libvorbis -q:a 0 audio-1.5s.ogg
ff "${asrc[@]}" "${exact[@]}" -c:a aac -b:a 32k audio-1.5s.m4a

# Broken files. Truncated: the MP4 index written last (no faststart) and the file cut to its
# first half, so the index is gone; the PNG cut after its header, so its size is known but no
# pixel is. Undecodable: text under a video name, and a PNG signature followed by garbage.
ff "${vsrc[@]}" -c:v libx264 -pix_fmt yuv420p -crf 40 -c:a aac -b:a 32k "${exact[@]}" index-last.tmp.mp4
head -c "$(($(stat -c %s index-last.tmp.mp4) / 2))" index-last.tmp.mp4 >truncated.mp4
rm index-last.tmp.mp4
head -c "$(($(stat -c %s image-64x48.png) / 2))" image-64x48.png >truncated.png
printf 'This is plain text, not a WebM video.\n' >undecodable.webm
{ printf '\x89PNG\r\n\x1a\n'; printf 'not an IHDR chunk, nor any other%.0s' 1 2 3; } >undecodable.png

ls -l "$out"
