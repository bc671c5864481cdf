#!/usr/bin/env bash
# The toolchain a student would otherwise script for dossier build's result, on the plan that
# bench/plan.py wrote from dossier's own check (same files, same order, same recipients):
#
#   toolchain.sh PLANDIR OUTDIR
#
# PLANDIR/inputs.tsv   kind <TAB> encrypted(0/1) <TAB> path, one line per distinct input
# PLANDIR/<rcpt>.tsv   index into inputs.tsv <TAB> zip folder, in bundle order, per recipient
#
# Per distinct input, once (as dossier reads each input once for all recipients):
#   image          -> img2pdf; a 16-bit PNG (img2pdf refuses it) first goes through ImageMagick
#                     -depth 8, as a student would after seeing the error
#   encrypted PDF  -> qpdf --decrypt with $PAYSLIP_PASSWORD (merge and zip take the decrypted copy)
#   text           -> nothing: the toolchain has no typesetter, the notes only go into the zip
# Per recipient: qpdf --empty --pages <all PDFs> -- merged.pdf, then zip -r of merged.pdf and
# the originals under NN_<item>/ folders.
# No cover, contents, bookmarks, stamps, mail draft or text pages: dossier does more work.
set -euo pipefail

plan=$1 out=$2
: "${PAYSLIP_PASSWORD:?set PAYSLIP_PASSWORD for the encrypted pay stubs}"
# /usr/bin/convert explicitly: ImageMagick itself, not whatever wrapper is earlier on PATH.
convert=/usr/bin/convert

rm -rf "$out"
mkdir -p "$out/conv"

# Convert or decrypt each input once; pdf[i] is what goes into the merge, orig[i] into the zip.
declare -a pdf orig
i=0
while IFS=$'\t' read -r kind enc path; do
  case $kind in
    image)
      if ! img2pdf "$path" -o "$out/conv/$i.pdf" 2>/dev/null; then
        "$convert" "$path" -depth 8 "$out/conv/$i.8bit.png"
        img2pdf "$out/conv/$i.8bit.png" -o "$out/conv/$i.pdf" 2>/dev/null
      fi
      pdf[i]=$out/conv/$i.pdf orig[i]=$path ;;
    pdf)
      if [ "$enc" = 1 ]; then
        qpdf --decrypt --password="$PAYSLIP_PASSWORD" "$path" "$out/conv/$i.pdf"
        pdf[i]=$out/conv/$i.pdf orig[i]=$out/conv/$i.pdf
      else
        pdf[i]=$path orig[i]=$path
      fi ;;
    *) pdf[i]= orig[i]=$path ;;
  esac
  i=$((i + 1))
done <"$plan/inputs.tsv"

for list in "$plan"/rcpt-*.tsv; do
  r=$(basename "$list" .tsv); r=${r#rcpt-}
  dir=$out/$r stage=$out/$r/stage
  mkdir -p "$stage"
  pages=()
  while IFS=$'\t' read -r idx folder name; do
    [ -n "${pdf[idx]}" ] && pages+=("${pdf[idx]}")
    mkdir -p "$stage/$folder"
    # A symlink is enough: zip stores the target's content.
    ln -s "$(realpath "${orig[idx]}")" "$stage/$folder/$name"
  done <"$list"
  qpdf --empty --pages "${pages[@]}" -- "$stage/merged.pdf"
  (cd "$stage" && zip -q -r -X ../bundle.zip .)
  mv "$stage/merged.pdf" "$dir/merged.pdf"
done
