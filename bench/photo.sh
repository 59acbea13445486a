#!/usr/bin/env bash
# A 12 MP photo with five faces from drop to boxes and to names in one warm process, TribeLens
# against the same pipeline in Python's OpenCV (bench/peers/opencv_photo.py, same YuNet and
# SFace files, the TribeLens model's prototypes), and folders in photos/s with peak RSS:
# 1,000 small photos (lfw-dev38 plus the shared scrape, repeated) and 24 of the 12 MP photo.
#   bench/photo.sh [BUILDDIR] [REPEATS]     (docs/benchmarks.md, "A photo to names")
# Needs ../shared (group photos, lfw-dev38, messy-scrape, the SFace and YuNet files) and PyPI
# for the OpenCV venv. The photos are made here, in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
B=$(cd "${1:-.build/release}" && pwd)
repeats=${2:-10}
. bench/face_models_env.sh
for d in group-photos lfw-dev38 messy-scrape; do
  [ -d "$shared/data/$d" ] || { echo "skip: $shared/data/$d not found"; exit 0; }
done
echo "CPU:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  cores=$(nproc)  load:$(cut -d' ' -f1-3 /proc/loadavg)"

# The model that names the faces: sface on lfw-dev38 (YuNet boxes), active.
"$cli" dataset build --photos "$shared/data/lfw-dev38" --roster bench/rosters/lfw-dev38.json --detector yunet --name lfw >/dev/null
"$cli" train --dataset lfw --backend sface --model lfw --no-augment --activate >/dev/null 2>&1

# 4000x3000: test1 (2 faces), test2 (1), test1 mirrored (2) and an empty tile, each padded to
# 2000x1500 without distortion.
g=$shared/data/group-photos
photo=$work/collage-12mp.jpg
tile() { echo "( $1 -resize 2000x1500 -background gray50 -gravity center -extent 2000x1500 )"; }
# shellcheck disable=SC2046
convert \( $(tile "$g/test1.jpg") $(tile "$g/test2.jpg") +append \) \
        \( $(tile "$g/test1.jpg -flop") -size 2000x1500 gradient:gray70-gray30 +append \) \
        -append -quality 92 "$photo"

# 1,000 photos: every file of lfw-dev38 and the scrape, linked again and again.
small=$work/folder-1000; mkdir -p "$small"
mapfile -t sources < <(find "$shared/data/lfw-dev38" "$shared/data/messy-scrape" -type f | sort)
for i in $(seq 0 999); do ln -s "${sources[$((i % ${#sources[@]}))]}" "$small/$(printf '%04d' "$i")-$(basename "${sources[$((i % ${#sources[@]}))]}")"; done
large=$work/folder-12mp; mkdir -p "$large"
for i in $(seq 1 24); do ln -s "$photo" "$large/$(printf '%02d' "$i").jpg"; done

ours=$("$cli" bench photo --photo "$photo" --folder "$small" --large-folder "$large" --repeats "$repeats" --json)
bench/peers/opencv_setup.sh >&2
peer=$("${TRIBELENS_OPENCV_VENV:-$HOME/.cache/tribelens-bench/opencv-venv}/bin/python" bench/peers/opencv_photo.py "$photo" \
       --yunet "$shared/models/face_detection_yunet_2022mar.onnx" --sface "$shared/models/face_recognition_sface_2021dec_dq.onnx" \
       --model-dir "$XDG_DATA_HOME/tribelens/models/lfw" --repeats "$repeats")
python3 - "$ours" "$peer" <<'PY'
import json, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("CPU %s, %d cores; 12 MP JPEG (4000x3000), median of %d after a warm-up" % (ours["cpu"], ours["cores"], ours["repeats"]))
print("faces: TribeLens %d, OpenCV %s %d" % (ours["faces"], peer["opencv"], peer["faces"]))
for step, target in (("boxes", 60), ("names", 150)):
    a, b = ours[step + "_ms_median"], peer[step + "_ms_median"]
    print("drop to %-5s TribeLens %6.1f ms (target <= %d)   Python OpenCV %6.1f ms   ratio %.2f (target <= 0.5)" % (step, a, target, b, a / b))
for key, label, target in (("folder", "1,000 small photos", 40), ("large_folder", "12 MP photos", 8)):
    f = ours.get(key)
    if f:
        print("%s (%d, %d not decodable): %.1f photos/s to boxes (target >= %d), %.1f to names, %d at once" % (
            label, f["photos"], f["failed"], f["boxes_photos_per_s"], target, f["names_photos_per_s"], f["workers"]))
print("peak RSS of the bench process: %.0f MiB" % ours["peak_rss_mib"])
print("names: TribeLens %s; OpenCV %s" % (ours["names"], peer["names"]))
PY
