#!/usr/bin/env bash
# The photo folder of issue 9 for bench/run: seven 12-megapixel phone photos and a 300-page
# PDF, the folder that used to give a 92 MB mail. Writes WORK/photos/{docs,dossier.toml} and
# WORK/photos-toolchain.sh, the script a student would write for the same result (ImageMagick
# -resize of each photo to 2000 px at quality 85, img2pdf of the copies, qpdf --empty --pages
# of the PDF and the photo pages, zip of the copies, base64 of the PDF and the zip).
#
#   bench/photos.sh WORK CORPUS
set -euo pipefail
work=$1 corpus=$2
photos=$work/photos
mkdir -p "$photos/docs/evidence"
cp "$corpus/edge/300쪽_부록_해석데이터.pdf" "$photos/docs/portfolio.pdf"
for n in 1 2 3 4 5 6 7; do
  f=$photos/docs/evidence/photo_$n.jpg
  # Smooth colour with a little sensor noise: about 4 MB at quality 90, like a phone's JPEG.
  [ -f "$f" ] || /usr/bin/convert -size 4000x3000 -seed "$n" plasma:tan-steelblue \
    -attenuate 0.25 +noise Gaussian -quality 90 "$f"
done
# The folder of 300 MB of photos (issue 9's memory target: the largest input + 256 MB whatever
# the folder's size): 70 distinct 12-megapixel JPEGs of 4.6-5 MB, made from the seven above by
# lossless jpegtran flips, rotations and crops (distinct bytes and pictures, real phone-sized
# JPEGs, seconds to make instead of minutes of plasma).
big=$work/photos300
mkdir -p "$big/docs/evidence"
n=0
for p in 1 2 3 4 5 6 7; do
  for t in "" "-flip horizontal" "-flip vertical" "-rotate 180" "-crop 3984x2992+16+8" \
    "-crop 3968x2976+32+16" "-flip horizontal -crop 3984x2992+16+8" "-flip vertical -crop 3968x2976+16+16" \
    "-rotate 180 -crop 3952x2960+48+32" "-flip horizontal -crop 3936x2944+64+48"; do
    n=$((n + 1))
    f=$big/docs/evidence/photo_$(printf %02d $n).jpg
    # shellcheck disable=SC2086 # $t is a list of jpegtran options
    [ -f "$f" ] || jpegtran -copy all $t "$photos/docs/evidence/photo_$p.jpg" >"$f"
  done
done
# One student, one recipient, the items given: "portfolio" (the 300-page PDF) and "evidence"
# (the photos).
manifest() {
  local file=$1 quoted
  shift
  cat >"$file" <<'TOML'
[bundle]
title = "학점인정 제출 서류"
root = "docs"
output = "out"

[student]
"학번" = "20201234"
"이름" = "홍길동"
TOML
  for item in "$@"; do
    case $item in
      portfolio) printf '\n[[items]]\nid = "portfolio"\ntitle = "설계포트폴리오"\nfiles = ["portfolio.pdf"]\n' ;;
      evidence) printf '\n[[items]]\nid = "evidence"\ntitle = "프로젝트수행 입증 자료"\nfiles = ["evidence/*.jpg"]\n' ;;
    esac
  done >>"$file"
  quoted=$(printf '"%s", ' "$@")
  printf '\n[[recipients]]\nid = "professor"\ntitle = "지도교수"\nitems = [%s]\n' "${quoted%, }" >>"$file"
}
manifest "$big/dossier.toml" evidence
manifest "$photos/dossier.toml" portfolio evidence
tc=$work/tc-photos
cat >"$work/photos-toolchain.sh" <<SH
set -e
rm -rf "$tc" && mkdir -p "$tc/zip/02_evidence"
for f in "$photos"/docs/evidence/*.jpg; do
  /usr/bin/convert "\$f" -resize 2000x2000 -quality 85 "$tc/zip/02_evidence/\$(basename "\$f")"
done
img2pdf "$tc"/zip/02_evidence/*.jpg -o "$tc/photos.pdf"
qpdf --empty --pages "$photos/docs/portfolio.pdf" "$tc/photos.pdf" -- "$tc/merged.pdf"
(cd "$tc/zip" && zip -q -r -X ../bundle.zip .)
{ base64 -w 76 "$tc/merged.pdf"; base64 -w 76 "$tc/bundle.zip"; } >"$tc/mail.txt"
SH
