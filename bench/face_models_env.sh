# Sourced by the face-embedding benchmarks: temporary XDG folders with the shared SFace and
# YuNet files in the weights folder (found there by checksum), plugins from build folder $B.
# Sets: shared, work (removed on exit), cli.
shared=$(cd ../shared && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache TRIBELENS_PLUGIN_PATH=$B
mkdir -p "$XDG_DATA_HOME/tribelens/weights"
ln -s "$shared/models/face_recognition_sface_2021dec_dq.onnx" "$shared/models/face_detection_yunet_2022mar.onnx" \
  "$XDG_DATA_HOME/tribelens/weights/"
cli="$B/tribelens-cli"
