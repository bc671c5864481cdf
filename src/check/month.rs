//! Which month a file is for, read from its name: "2023-03", "2023.3", "202303", "2023년 3월",
//! "23년 3월", "3월", "Mar". Pure.

use std::sync::LazyLock;

use regex::Regex;

use crate::manifest::{Month, Period};

/// Year and month with separators, or run together (202303); a day may follow (20230315).
static YEAR_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^0-9])(20[0-9]{2})(?:[-._ /]\s*([0-9]{1,2})|([0-9]{2}))(?:[^0-9]|$|[-._ /]?[0-9]{2}(?:[^0-9]|$))",
    )
    .unwrap()
});
/// "2023년 3월", "23년 03월".
static KOREAN_YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])((?:20)?[0-9]{2})\s*년\s*([0-9]{1,2})\s*월").unwrap());
/// "3월" alone.
static KOREAN_MONTH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:^|[^0-9])([0-9]{1,2})\s*월").unwrap());
/// English month names and abbreviations as whole words.
static ENGLISH_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^a-z])(jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december)(?:[^a-z]|$)").unwrap()
});

/// What a name says about its month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthInName {
    /// A full year and month.
    Full(Month),
    /// Only a month number; the year comes from the period.
    MonthOnly(u32),
}

/// Reads a month from a file name (without folders). `None` when the name has none.
pub fn month_in_name(name: &str) -> Option<MonthInName> {
    if let Some(c) = KOREAN_YEAR_MONTH.captures(name) {
        let year: i32 = c[1].parse().ok()?;
        let month: u32 = c[2].parse().ok()?;
        let year = if year < 100 { 2000 + year } else { year };
        return valid(month).then_some(MonthInName::Full(Month { year, month }));
    }
    for c in YEAR_MONTH.captures_iter(name) {
        let year: i32 = c[1].parse().ok()?;
        let month: u32 = c.get(2).or(c.get(3))?.as_str().parse().ok()?;
        if valid(month) {
            return Some(MonthInName::Full(Month { year, month }));
        }
    }
    if let Some(c) = KOREAN_MONTH.captures(name) {
        let month: u32 = c[1].parse().ok()?;
        return valid(month).then_some(MonthInName::MonthOnly(month));
    }
    if let Some(c) = ENGLISH_MONTH.captures(name) {
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        let word = c[1].to_ascii_lowercase();
        let month = names.iter().position(|n| word.starts_with(n))? as u32 + 1;
        return Some(MonthInName::MonthOnly(month));
    }
    None
}

fn valid(month: u32) -> bool {
    (1..=12).contains(&month)
}

/// Resolves what a name says to a calendar month: a bare month number takes the year in which
/// the period has that month (periods of up to a year are unambiguous).
pub fn resolve(found: MonthInName, period: &Period) -> Month {
    match found {
        MonthInName::Full(m) => m,
        MonthInName::MonthOnly(month) => {
            period.months().into_iter().find(|m| m.month == month).unwrap_or(Month { year: period.start.year, month })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Date;

    fn full(year: i32, month: u32) -> Option<MonthInName> {
        Some(MonthInName::Full(Month { year, month }))
    }

    #[test]
    fn reads_the_ways_people_name_months() {
        assert_eq!(month_in_name("급여명세서_2023-03.pdf"), full(2023, 3));
        assert_eq!(month_in_name("급여명세서_2023.3.pdf"), full(2023, 3));
        assert_eq!(month_in_name("payslip_202304.pdf"), full(2023, 4));
        assert_eq!(month_in_name("payslip 2023_05_25.pdf"), full(2023, 5));
        assert_eq!(month_in_name("KakaoTalk_20230502_101544123.jpg"), full(2023, 5));
        assert_eq!(month_in_name("2023년 6월 급여명세서.pdf"), full(2023, 6));
        assert_eq!(month_in_name("23년03월_급여.pdf"), full(2023, 3));
        assert_eq!(month_in_name("급여명세서 (3월).pdf"), Some(MonthInName::MonthOnly(3)));
        assert_eq!(month_in_name("10월_급여.pdf"), Some(MonthInName::MonthOnly(10)));
        assert_eq!(month_in_name("payslip-March.pdf"), Some(MonthInName::MonthOnly(3)));
        assert_eq!(month_in_name("payslip_apr.pdf"), Some(MonthInName::MonthOnly(4)));
    }

    #[test]
    fn ignores_what_is_not_a_month() {
        assert_eq!(month_in_name("급여명세서.pdf"), None);
        assert_eq!(month_in_name("2023-13.pdf"), None);
        assert_eq!(month_in_name("scan0001.pdf"), None);
        assert_eq!(month_in_name("13월.pdf"), None);
        assert_eq!(month_in_name("marker.pdf"), None);
        assert_eq!(month_in_name("decision_memo.pdf"), None);
    }

    #[test]
    fn bare_months_take_the_year_of_the_period() {
        let p = Period { start: Date { year: 2023, month: 11, day: 1 }, end: Date { year: 2024, month: 2, day: 28 } };
        assert_eq!(resolve(MonthInName::MonthOnly(1), &p), Month { year: 2024, month: 1 });
        assert_eq!(resolve(MonthInName::MonthOnly(12), &p), Month { year: 2023, month: 12 });
        assert_eq!(resolve(MonthInName::Full(Month { year: 2022, month: 1 }), &p), Month { year: 2022, month: 1 });
    }
}
