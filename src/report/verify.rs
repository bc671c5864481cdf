//! `dossier verify`: each bundle's verdict (one student), or the cohort table (several), and
//! the JSON of both.

use serde_json::{Value, json};

use super::Terminal;
use super::cohort::{Cohort, cohort_text};
use crate::error::Error;
use crate::i18n::{Catalog, Msg};
use crate::verify::{Aspect, Verdict};

/// The verdicts as text: bundle by bundle for one student, the cohort table for several.
pub fn write_verify(term: &mut Terminal<'_>, verdicts: &[Verdict], cohort: &Cohort) -> Result<(), Error> {
    let paint = term.paint(false);
    let c = term.catalog();
    if cohort.rows.len() > 1 {
        let text = cohort_text(cohort, c, &paint);
        return term.print(&text);
    }
    let mut text = String::new();
    for v in verdicts {
        text += &format!("{}\n", paint.paint("1", &v.sources.join(", ")));
        if let Some(r) = &v.record {
            let (id, name) = v.student();
            text += &format!(
                "  {}\n",
                c.text(
                    &Msg::new("verify-bundle")
                        .arg("id", id)
                        .arg("name", name)
                        .arg("recipient", &r.recipient.title)
                        .arg("recipient_id", &r.recipient.id)
                )
            );
            let intact = v.intact();
            let complete = !v.problems.iter().any(|p| p.aspect() == Aspect::Completeness);
            let yes_no = |ok: bool, yes: &'static str, no: &'static str| {
                paint.paint(if ok { "32" } else { "31" }, &c.word(if ok { yes } else { no }))
            };
            text += &format!(
                "  {}  {}\n",
                yes_no(intact, "verify-intact", "verify-not_intact"),
                yes_no(complete, "verify-complete", "verify-incomplete")
            );
            for m in &v.months {
                let months: Vec<String> = m
                    .covered
                    .iter()
                    .map(|x| format!("{x} ✓"))
                    .chain(m.missing.iter().map(|x| format!("{x} ✗")))
                    .collect();
                text += &format!(
                    "  {}\n",
                    c.text(&Msg::new("verify-months").arg("title", &m.title).arg("months", months.join("  ")))
                );
            }
        }
        for p in &v.problems {
            text += &format!("    {} {}\n", paint.paint("31", "✗"), c.text(&p.message()));
        }
    }
    let ok = verdicts.iter().all(Verdict::ok);
    let summary = if ok {
        paint.paint("32;1", &c.word("verify-summary-ok"))
    } else {
        let bad = verdicts.iter().filter(|v| !v.ok()).count();
        paint.paint("31;1", &c.text(&Msg::new("verify-summary-problems").arg("count", bad)))
    };
    text += &summary;
    text += "\n";
    term.print(&text)
}

/// `{ "ok", "bundles": [ { "sources", "student", "recipients", "intact", "complete", "months",
/// "problems": [ { "code", "message", … } ] } ] }`.
pub fn verify_json(ok: bool, verdicts: &[Verdict], c: &Catalog) -> Value {
    let bundles: Vec<Value> = verdicts
        .iter()
        .map(|v| {
            let problems: Vec<Value> = v
                .problems
                .iter()
                .map(|p| {
                    let mut object = json!({"code": p.code(), "message": c.text(&p.message())});
                    if let (Value::Object(o), Value::Object(data)) = (&mut object, p.data()) {
                        o.extend(data);
                    }
                    object
                })
                .collect();
            let complete = !v.problems.iter().any(|p| p.aspect() == Aspect::Completeness);
            let student = v.record.as_ref().map(|r| {
                let fields: serde_json::Map<String, Value> =
                    r.student.fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                json!({"id": r.student.id, "name": r.student.name, "fields": fields})
            });
            let recipients: Vec<Value> = v
                .record
                .iter()
                .map(|r| {
                    let missing: Vec<String> = v.problems.iter().map(|p| c.text(&p.short())).collect();
                    json!({"id": r.recipient.id, "title": r.recipient.title, "ok": v.ok(), "missing": missing})
                })
                .collect();
            json!({
                "sources": v.sources,
                "ok": v.ok(),
                "student": student,
                "recipients": recipients,
                "intact": v.record.is_some() && v.intact(),
                "complete": v.record.is_some() && complete,
                "draft": v.record.as_ref().map(|r| r.draft),
                "months": v.months,
                "problems": problems,
            })
        })
        .collect();
    json!({"ok": ok, "bundles": bundles})
}
