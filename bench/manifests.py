#!/usr/bin/env python3
"""Writes the bench's manifests, derived from manifests/ict-internship.toml (stdlib only).

    manifests.py TEMPLATE WORKDIR CORPUS
    manifests.py --cohort N TEMPLATE COHORTDIR CORPUS

Writes into WORKDIR:
  corpus.toml     the template, root = CORPUS/student, the corpus student's details
  pdf-only.toml   the same student, PDF items only, one recipient: dossier's merge step
                  as near alone as the CLI allows (it still writes cover, contents, zip, mail)
  limits-300p.toml, limits-40mp.toml
                  one item each: the 300-page appendix / the 40 MP photo from CORPUS/edge,
                  copied into their own folders so the edge case's traps stay out of the walk

We derive from the template rather than keep a copy so that the bench follows the template
when it changes. The one change the corpus forces: the template's `form` item wants a PDF
named 학점인정서.*, and the corpus has only the Word file 학점인정서.docx there (the signed PDF
is form_signed), so `form` would be invalid and nothing would build. We drop `form` and let
the recipients that listed it take form_signed instead. And two globs are narrowed to .pdf
(see NARROW).
"""
import os
import re
import shutil
import sys


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def drop_item(text, item_id):
    """Removes the [[items]] block whose id is item_id (blocks end at the next table header)."""
    blocks = re.split(r"(?m)^(?=\[\[items\]\]|\[\[recipients\]\]|# ----)", text)
    kept = [b for b in blocks if not (b.startswith("[[items]]") and re.search(
        r'(?m)^id = ' + re.escape(toml_str(item_id)) + r'\s*$', b))]
    if len(kept) == len(blocks):
        sys.exit(f"manifests.py: item {item_id!r} not found in the template")
    return "".join(kept)


def retarget_recipients(text):
    """In recipients' item lists, "form" becomes "form_signed" (once per list)."""
    def fix(m):
        ids = re.findall(r'"([^"]+)"', m.group(2))
        out = []
        for i in ids:
            i = "form_signed" if i == "form" else i
            if i not in out:
                out.append(i)
        return m.group(1) + "[" + ", ".join(toml_str(i) for i in out) + "]"
    return re.sub(r'(?m)^(items = )\[([^\]]*)\]', fix, text)


def set_key(text, key, value):
    new, n = re.subn(r'(?m)^' + re.escape(key) + r' = .*$', f"{key} = {value}", text, count=1)
    if n != 1:
        sys.exit(f"manifests.py: key {key!r} not found in the template")
    return new


STUDENT = """[student]
"이름" = {name}
"학번" = {sid}
"학과" = "기계설계공학과"
"기업" = "(주)한빛테크"
"email" = "minjun.kim@student.example.ac.kr"
"""


# The template's globs for these two also match the sources the corpus keeps in 원본/
# (설계포트폴리오.odp, ICT인턴십_수행확인서.docx), which dossier then reports as invalid, so the
# bundle would not build. A student would narrow them to the PDFs; so does the bench.
NARROW = {
    'files = ["설계포트폴리오*", "*portfolio*"]': 'files = ["설계포트폴리오*.pdf", "*portfolio*.pdf"]',
    'files = ["*수행확인서*"]': 'files = ["*수행확인서*.pdf"]',
}


def student_manifest(template, root, output, name="김민준", sid="2019123456"):
    text = drop_item(template, "form")
    text = retarget_recipients(text)
    for old, new in NARROW.items():
        if old not in text:
            sys.exit(f"manifests.py: {old!r} not found in the template")
        text = text.replace(old, new)
    text = set_key(text, "root", toml_str(root))
    text = set_key(text, "output", toml_str(output))
    text = re.sub(r'(?ms)^\[student\].*?(?=^\[period\])',
                  STUDENT.format(name=toml_str(name), sid=toml_str(sid)) + "\n", text, count=1)
    return text


HEAD = """[bundle]
title = "dossier bench: {title}"
short_title = "bench"
root = {root}
output = {output}

[student]
"이름" = "김민준"
"학번" = "2019123456"

"""


def pdf_only(root, output):
    items = [
        # Exact names: the template's wider globs also reach the sources kept in 원본/.
        ("form_signed", '["학점인정서_서명.pdf"]', ""),
        ("portfolio", '["설계포트폴리오.pdf"]', ""),
        ("certificate", '["수료증.pdf"]', ""),
        # No per_month here: there is no [period]; the four stubs are simply min = 4.
        ("payslips", '["급여명세서"]', 'min = 4\npassword_env = "PAYSLIP_PASSWORD"\n'),
        ("insurance", '["고용산재보험_자격이력내역서.pdf"]', ""),
        ("confirmation", '["ICT인턴십_수행확인서.pdf"]', ""),
    ]
    out = HEAD.format(title="PDF items only", root=toml_str(root), output=toml_str(output))
    for i, files, extra in items:
        out += f'[[items]]\nid = "{i}"\nfiles = {files}\nkinds = ["pdf"]\n{extra}\n'
    out += '[[recipients]]\nid = "all"\nitems = [' + ", ".join(f'"{i}"' for i, _, _ in items) + "]\n"
    out += 'max_attachment = "1 GB"\n'
    return out


def single(title, root, output, name, kind):
    out = HEAD.format(title=title, root=toml_str(root), output=toml_str(output))
    out += f'[[items]]\nid = "limit"\nfiles = [{toml_str(name)}]\nkinds = ["{kind}"]\n\n'
    out += '[[recipients]]\nid = "limit"\nitems = ["limit"]\nmax_attachment = "1 GB"\n'
    return out


def cohort(n, template, cohort_dir, corpus):
    """n students, each students/NNN/{dossier.toml, documents/}: the corpus student
    hard-linked (no disk cost, dossier only reads), with its own name and student id."""
    student = os.path.join(corpus, "student")
    for k in range(1, n + 1):
        home = os.path.join(cohort_dir, "students", f"{k:03d}")
        docs = os.path.join(home, "documents")
        for d, _, files in os.walk(student):
            dest = os.path.join(docs, os.path.relpath(d, student))
            os.makedirs(dest, exist_ok=True)
            for f in files:
                os.link(os.path.join(d, f), os.path.join(dest, f))
        with open(os.path.join(home, "dossier.toml"), "w", encoding="utf-8") as f:
            f.write(student_manifest(template, "documents", "out",
                                     name=f"학생{k:03d}", sid=f"2019{k:06d}"))


def main():
    if sys.argv[1] == "--cohort":
        n = int(sys.argv[2])
        template_path, cohort_dir, corpus = sys.argv[3:6]
        if os.path.exists(cohort_dir):
            shutil.rmtree(cohort_dir)
        cohort(n, open(template_path, encoding="utf-8").read(), cohort_dir, os.path.abspath(corpus))
        return
    template_path, work, corpus = sys.argv[1:4]
    template = open(template_path, encoding="utf-8").read()
    work = os.path.abspath(work)
    corpus = os.path.abspath(corpus)
    student = os.path.join(corpus, "student")

    def write(name, text):
        with open(os.path.join(work, name), "w", encoding="utf-8") as f:
            f.write(text)

    write("corpus.toml", student_manifest(template, student, os.path.join(work, "out", "corpus")))
    write("pdf-only.toml", pdf_only(student, os.path.join(work, "out", "pdf-only")))
    for tag, name, kind in (("300p", "300쪽_부록_해석데이터.pdf", "pdf"),
                            ("40mp", "40메가픽셀_원본사진.jpg", "image")):
        root = os.path.join(work, "limits-" + tag)
        os.makedirs(root, exist_ok=True)
        shutil.copyfile(os.path.join(corpus, "edge", name), os.path.join(root, name))
        write(f"limits-{tag}.toml",
              single(name, root, os.path.join(work, "out", "limits-" + tag), name, kind))


if __name__ == "__main__":
    main()
