//! Reports: findings and outcomes as a terminal table or JSON. The only place that decides
//! layout and colour.

use crate::error::Error;

/// Prints a fatal error once: `error: …`, the manifest line with a caret, then `hint: …`.
pub fn print_error(error: &Error) {
    eprintln!("error: {error}");
    if let Some(hint) = error.hint() {
        eprintln!("hint: {hint}");
    }
}
