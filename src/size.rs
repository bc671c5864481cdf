//! Sizes as people write them: "10 MB", "25MB", "1.5 GB", "500 KiB", "2048 B". A number
//! without a unit is refused: `max_size = 10` silently meaning ten bytes helps nobody.
//!
//! KB, MB and GB are decimal (1 MB = 1,000,000 bytes), as mail servers state their limits;
//! KiB, MiB and GiB are binary. Decimal is the cautious reading of a limit: it is the smaller.

/// Why a text is not a size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SizeError {
    /// It does not start with a number.
    NoNumber,
    /// A number without a unit: `10` would be ten bytes, which nobody means.
    NoUnit,
    /// The unit is not one we know.
    UnknownUnit(String),
    /// More bytes than fit in a u64.
    TooLarge,
}

/// Parses a size with its unit, or says why not.
pub fn parse_size(text: &str) -> Result<u64, SizeError> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number = number.replace('_', "");
    let value: f64 = number.parse().map_err(|_| SizeError::NoNumber)?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" => return Err(SizeError::NoUnit),
        "b" | "byte" | "bytes" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return Err(SizeError::UnknownUnit(unit.trim().to_string())),
    };
    let bytes = value * multiplier as f64;
    if !bytes.is_finite() || bytes > u64::MAX as f64 {
        return Err(SizeError::TooLarge);
    }
    Ok(bytes.round() as u64)
}

/// Formats bytes for people: "1.2 MB", "830 KB", "512 B" (decimal units, like [`parse_size`]).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, f64); 3] = [("GB", 1e9), ("MB", 1e6), ("KB", 1e3)];
    for (unit, scale) in UNITS {
        if bytes as f64 >= scale {
            let v = bytes as f64 / scale;
            return if v >= 100.0 { format!("{v:.0} {unit}") } else { format!("{v:.1} {unit}") };
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_and_binary_units() {
        assert_eq!(parse_size("10 MB"), Ok(10_000_000));
        assert_eq!(parse_size("25MB"), Ok(25_000_000));
        assert_eq!(parse_size("1.5 GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("500 KiB"), Ok(512_000));
        assert_eq!(parse_size("2 mib"), Ok(2_097_152));
        assert_eq!(parse_size("2048 B"), Ok(2048));
        assert_eq!(parse_size(" 7 B "), Ok(7));
        assert_eq!(parse_size("1_000 kb"), Ok(1_000_000));
    }

    #[test]
    fn rejects_what_is_not_a_size() {
        assert_eq!(parse_size("ten MB"), Err(SizeError::NoNumber));
        assert_eq!(parse_size("10 MiBs"), Err(SizeError::UnknownUnit("MiBs".into())));
        assert_eq!(parse_size("2048"), Err(SizeError::NoUnit));
        assert_eq!(parse_size("99999999999999999999999 GB"), Err(SizeError::TooLarge));
        assert_eq!(parse_size(""), Err(SizeError::NoNumber));
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(830_000), "830 KB");
        assert_eq!(format_size(1_234_567), "1.2 MB");
        assert_eq!(format_size(25_000_000), "25.0 MB");
    }
}
