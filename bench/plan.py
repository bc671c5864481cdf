#!/usr/bin/env python3
"""Turns dossier's own check into the toolchain's work list, so both sides bundle the very
same files in the same order (stdlib only; qpdf tells which PDFs are encrypted).

    dossier check M --json | plan.py MANIFEST PLANDIR

Writes PLANDIR/inputs.tsv (kind, encrypted, absolute path; each input once),
PLANDIR/rcpt-<id>.tsv (input index, zip folder, file name; bundle order) and
PLANDIR/plan.json ({"<recipient>": {"files": n, "input_bytes": n}}) for the size report.
"""
import json
import os
import subprocess
import sys
import tomllib


def main():
    manifest_path, plandir = sys.argv[1:3]
    report = json.load(sys.stdin)
    with open(manifest_path, "rb") as f:
        manifest = tomllib.load(f)
    base = os.path.dirname(os.path.abspath(manifest_path))
    root = os.path.join(base, manifest.get("bundle", {}).get("root", "."))
    items = {i["id"]: i for i in report["items"]}
    os.makedirs(plandir, exist_ok=True)

    inputs, index = [], {}

    def input_of(f):
        path = os.path.normpath(os.path.join(root, f["path"]))
        if path not in index:
            enc = 0
            if f["kind"] == "pdf":
                # qpdf --is-encrypted: exit 0 when encrypted, 2 when not.
                enc = int(subprocess.run(["qpdf", "--is-encrypted", path]).returncode == 0)
            index[path] = len(inputs)
            inputs.append((f["kind"], enc, path, f["bytes"]))
        return index[path]

    summary = {}
    for r in manifest["recipients"]:
        rows, total = [], 0
        for pos, item_id in enumerate(r["items"], start=1):
            item = items[item_id]
            folder = f"{pos:02d}_{item['title']}".replace("/", "_")
            for f in item["files"]:
                if not f.get("usable", True):
                    continue
                i = input_of(f)
                rows.append(f"{i}\t{folder}\t{os.path.basename(f['path'])}\n")
                total += f["bytes"]
        with open(os.path.join(plandir, f"rcpt-{r['id']}.tsv"), "w", encoding="utf-8") as out:
            out.writelines(rows)
        summary[r["id"]] = {"files": len(rows), "input_bytes": total}
    with open(os.path.join(plandir, "inputs.tsv"), "w", encoding="utf-8") as out:
        out.writelines(f"{k}\t{e}\t{p}\n" for k, e, p, _ in inputs)
    with open(os.path.join(plandir, "plan.json"), "w", encoding="utf-8") as out:
        json.dump(summary, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
