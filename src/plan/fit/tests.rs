use std::collections::BTreeMap;

use super::*;
use crate::compact::ladder;

/// Sizes from tables: the PDF per (rung index in the ladder, inner), the entries per copies.
struct Table {
    ladder: Vec<Rung>,
    pdf: BTreeMap<(Option<usize>, bool), u64>,
    originals: Vec<u64>,
    copies: Vec<u64>,
    asked: Vec<(Option<Rung>, bool)>,
    floor: u64,
}

impl Measure for Table {
    fn pdf_size(&mut self, rung: Option<Rung>, inner: bool) -> u64 {
        self.asked.push((rung, inner));
        let index = rung.map(|r| self.ladder.iter().position(|&l| l == r).unwrap());
        // A listed size holds from its rung on, and step 2's from step 1's as well.
        self.pdf
            .iter()
            .filter(|((at, step_two), _)| *at <= index && (!*step_two || inner))
            .map(|(_, &v)| v)
            .min()
            .expect("the size as is is listed")
    }
    fn pdf_floor(&mut self) -> u64 {
        self.floor
    }
    fn entry_sizes(&mut self, copies: bool) -> Vec<u64> {
        if copies { self.copies.clone() } else { self.originals.clone() }
    }
}

fn table(pdf: &[((Option<usize>, bool), u64)], originals: &[u64], copies: &[u64]) -> Table {
    Table {
        ladder: ladder(),
        pdf: pdf.iter().copied().collect(),
        originals: originals.to_vec(),
        copies: copies.to_vec(),
        asked: Vec::new(),
        floor: 0,
    }
}

fn request(ladder: &[Rung], budget: u64, entries: usize) -> FitRequest<'_> {
    FitRequest {
        budget,
        attach: Attach::default(),
        fit: Fit::Auto,
        keep_originals: false,
        split: false,
        ladder,
        overhead: 2_000,
        entries: (0..entries)
            .map(|i| EntryCost { name: format!("04_증빙/사진_{i}.jpg"), zip_extra: 200, body: 80 })
            .collect(),
        zip_fixed: 3_000,
        pdf: EntryCost { name: "홍길동.pdf".into(), zip_extra: 200, body: 80 },
    }
}

const MB: u64 = 1_000_000;

#[test]
fn a_bundle_that_fits_is_left_alone_and_no_image_is_measured() {
    let mut m = table(&[((None, false), 2 * MB)], &[MB, MB], &[MB / 2, MB / 2]);
    let ladder = ladder();
    let d = decide(&request(&ladder, 10 * MB, 2), &mut m).unwrap();
    assert_eq!((d.rung, d.inner, d.copies, d.parts.clone(), d.over), (None, false, false, vec![vec![0, 1]], false));
    assert_eq!(m.asked, vec![(None, false)]);
    assert!(d.sizes[0] > 4 * MB * 4 / 3 && d.sizes[0] <= 10 * MB);
}

#[test]
fn step_one_takes_the_highest_rung_that_fits() {
    // 6 MB of originals; the PDF is 8 MB as is, 3 MB from rung 3 on (200 dpi, quality 85).
    let mut m = table(&[((None, false), 8 * MB), ((Some(3), false), MB)], &[3 * MB, 3 * MB], &[MB, MB]);
    let ladder = ladder();
    let d = decide(&request(&ladder, 10 * MB, 2), &mut m).unwrap();
    assert_eq!(d.rung, Some(ladder[3]));
    assert_eq!(ladder[3].dpi, 200);
    assert!(!d.inner && !d.copies);
    assert_eq!(d.parts, vec![vec![0, 1]]);
}

#[test]
fn step_two_comes_only_when_no_rung_of_step_one_fits() {
    let mut m = table(&[((None, false), 8 * MB), ((Some(0), true), MB)], &[2 * MB], &[MB]);
    let ladder = ladder();
    let d = decide(&request(&ladder, 6 * MB, 1), &mut m).unwrap();
    assert_eq!((d.rung, d.inner, d.copies), (Some(ladder[0]), true, false));
    assert!(m.asked.contains(&(Some(*ladder.last().unwrap()), false)), "every rung of step 1 was tried first");
}

#[test]
fn step_three_replaces_photos_when_the_originals_alone_are_over() {
    // Seven 4 MB photos: no PDF rung can help; copies of 0.5 MB fit with the PDF as it is.
    let originals = vec![4 * MB; 7];
    let copies = vec![MB / 2; 7];
    let mut m = table(&[((None, false), 2 * MB), ((Some(5), false), MB)], &originals, &copies);
    let ladder = ladder();
    let d = decide(&request(&ladder, 10 * MB, 7), &mut m).unwrap();
    assert_eq!((d.rung, d.copies), (None, true));
    assert_eq!(d.parts, vec![(0..7).collect::<Vec<_>>()]);
    assert!(!d.over);
}

#[test]
fn keep_originals_gives_parts_sized_on_encoded_entries_with_the_pdf_first() {
    let originals = vec![4 * MB; 7];
    let mut m = table(&[((None, false), 2 * MB)], &originals, &[MB; 7]);
    let ladder = ladder();
    let mut req = request(&ladder, 10 * MB, 7);
    req.keep_originals = true;
    let d = decide(&req, &mut m).unwrap();
    assert!(!d.copies);
    // 4 MB is 5.4 MB as base64: one photo a message, and the first also carries the PDF.
    assert_eq!(d.parts.len(), 7);
    assert!(d.sizes.iter().all(|&s| s <= 10 * MB), "{:?}", d.sizes);
    assert_eq!(d.parts.iter().flatten().count(), 7);
    let mut all: Vec<usize> = d.parts.iter().flatten().copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..7).collect::<Vec<_>>());
}

#[test]
fn a_file_too_big_for_any_message_is_named_with_its_size() {
    let mut m = table(&[((None, false), 2 * MB)], &[12 * MB], &[12 * MB]);
    let ladder = ladder();
    let err = decide(&request(&ladder, 10 * MB, 1), &mut m).unwrap_err();
    let FitFailure::TooBig { name, bytes, needed, budget } = err;
    assert_eq!((name.as_str(), bytes, budget), ("04_증빙/사진_0.jpg", 12 * MB, 10 * MB));
    assert!(needed > 16 * MB, "the message carrying it is base64: {needed}");
    // A PDF that no rung brings under the limit is named too.
    let mut m = table(&[((None, false), 30 * MB)], &[MB], &[MB]);
    let err = decide(&request(&ladder, 10 * MB, 1), &mut m).unwrap_err();
    let FitFailure::TooBig { name, bytes, .. } = err;
    assert_eq!((name.as_str(), bytes), ("홍길동.pdf", 30 * MB));
}

#[test]
fn fit_off_keeps_every_byte_and_says_it_is_over() {
    let mut m = table(&[((None, false), 8 * MB), ((Some(0), false), MB)], &[4 * MB], &[MB]);
    let ladder = ladder();
    let mut req = request(&ladder, 10 * MB, 1);
    req.fit = Fit::Off;
    let d = decide(&req, &mut m).unwrap();
    assert_eq!((d.rung, d.copies, d.over), (None, false, true));
    assert_eq!(m.asked, vec![(None, false)]);
}

#[test]
fn small_budgets_count_compressed_entries_and_the_zip_only_mail_carries_the_pdf_inside() {
    // 39 KB: a 9 KB PDF and five 6 KB entries (deflated sizes); 2 + 5 parts would be wrong.
    let mut m = table(&[((None, false), 9_000)], &[6_000; 5], &[6_000; 5]);
    let ladder = ladder();
    let mut req = request(&ladder, 39_000, 5);
    req.attach = Attach { pdf: false, zip: true };
    let d = decide(&req, &mut m).unwrap();
    assert!(d.sizes.iter().all(|&s| s <= 39_000), "{:?}", d.sizes);
    assert!(d.parts.len() <= 3, "{:?}", d.parts);
    // attach = ["pdf"]: nothing to split, the PDF must fit alone.
    req.attach = Attach { pdf: true, zip: false };
    let d = decide(&req, &mut m).unwrap();
    assert_eq!(d.parts, vec![Vec::<usize>::new()]);
}

#[test]
fn the_choice_is_the_same_every_time() {
    let ladder = ladder();
    let run = || {
        let mut m = table(&[((None, false), 3 * MB)], &[3 * MB, MB, 3 * MB, 2 * MB], &[3 * MB, MB, 3 * MB, 2 * MB]);
        decide(&request(&ladder, 6 * MB, 4), &mut m).unwrap()
    };
    assert_eq!(run(), run());
    assert_eq!(run().parts[0].len() + run().parts[1..].iter().map(Vec::len).sum::<usize>(), 4);
}

#[test]
fn the_search_measures_the_best_density_first_then_the_smallest_rung_then_the_rest() {
    let ladder = ladder();
    let last = *ladder.last().unwrap();
    // The usual case, step 1 fitting at rung 0 (300 dpi, quality 85): one encoding.
    let mut m = table(&[((None, false), 20 * MB), ((Some(0), false), 3 * MB)], &[MB, MB], &[MB / 2, MB / 2]);
    let d = decide(&request(&ladder, 10 * MB, 2), &mut m).unwrap();
    assert_eq!(d.rung, Some(ladder[0]));
    assert_eq!(m.asked, vec![(None, false), (Some(ladder[0]), false)]);

    // Only step 2 fits, from rung 4 (200 dpi, quality 75): step 1 costs its best density's
    // three qualities and its smallest rung, not fifteen rungs; step 2 then measures its best
    // density, its smallest rung, then rungs 3 and 4.
    let mut m = table(&[((None, false), 30 * MB), ((Some(4), true), 2 * MB)], &[MB, MB], &[MB / 2, MB / 2]);
    let d = decide(&request(&ladder, 10 * MB, 2), &mut m).unwrap();
    assert_eq!((d.rung, d.inner), (Some(ladder[4]), true));
    let mut expected = vec![(None, false)];
    for inner in [false, true] {
        expected.extend((0..3).map(|i| (Some(ladder[i]), inner)));
        expected.push((Some(last), inner));
    }
    expected.extend([(Some(ladder[3]), true), (Some(ladder[4]), true)]);
    assert_eq!(m.asked, expected);
}

#[test]
fn originals_alone_over_the_limit_skip_steps_one_and_two_without_encoding() {
    // 12 MB of photos in the zip: no PDF could fit beside them, so the first image encoded is
    // for step 3, beside the copies.
    let ladder = ladder();
    let mut m = table(&[((None, false), 20 * MB), ((Some(0), false), 3 * MB)], &[6 * MB, 6 * MB], &[MB, MB]);
    m.floor = MB;
    let d = decide(&request(&ladder, 10 * MB, 2), &mut m).unwrap();
    assert_eq!((d.rung, d.copies), (Some(ladder[0]), true));
    assert_eq!(m.asked, vec![(None, false), (None, false), (Some(ladder[0]), false)]);
}
