#!/usr/bin/env bash
# The I/O floor of a build (issue 9: "the whole build within 3x the time of writing its own
# outputs with fsync"): writes every file of the output folder OUT again into SCRATCH, each
# synced to disk, as a build's outputs are before its folder is swapped in.
#
#   bench/write-floor.sh OUT SCRATCH
set -euo pipefail
out=$1 scratch=$2
rm -rf "$scratch" && mkdir -p "$scratch"
find "$out" -type f -print0 | while IFS= read -r -d '' f; do
  dd if="$f" of="$scratch/$(printf '%s' "$f" | sha1sum | cut -c1-12)" bs=1M conv=fsync status=none
done
sync -f "$scratch"
