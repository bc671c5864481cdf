//! The edge: everything dossier takes from its surroundings, gathered once.
//!
//! The environment (password variables, `SOURCE_DATE_EPOCH`, `NO_COLOR`, the locale), the
//! terminal (is there a person to ask for a password, does stdout take colour) and the working
//! folder are read here and nowhere else; the stages receive a [`Config`]. `clippy.toml`
//! forbids `std::env::var` elsewhere.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::i18n::Lang;
use crate::inspect::Secret;

/// Asks a person for a password; gets the prompt text, returns what was typed (`None` when
/// nothing was, or nobody is there).
pub type Prompt = dyn Fn(&str) -> Option<Secret> + Send + Sync;

/// What a run takes from its surroundings.
pub struct Config {
    /// The language of terminal messages.
    pub lang: Lang,
    /// Colour on standard output.
    pub color_out: bool,
    /// Colour on standard error.
    pub color_err: bool,
    /// `SOURCE_DATE_EPOCH`: the date of mail drafts, for reproducible builds.
    pub source_date_epoch: Option<i64>,
    /// The environment variables a manifest may name for passwords (values never shown).
    vars: BTreeMap<String, String>,
    /// A person at a terminal can be asked for passwords.
    pub prompt: Option<Box<Prompt>>,
    /// The working folder, to show paths relative to it.
    pub cwd: Option<PathBuf>,
    /// Look for fonts installed on the system (off with `DOSSIER_NO_SYSTEM_FONTS=1`).
    pub system_fonts: bool,
    /// Test hook (`DOSSIER_TEST_STOP_AT=office:staged`): the named point of a build stops
    /// and waits to be killed, so the interruption tests kill at known moments.
    pub stop_at: Option<String>,
    /// Passwords by 학번, from the file `DOSSIER_PASSWORDS` names (values never shown).
    student_passwords: BTreeMap<String, String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("lang", &self.lang)
            .field("color_out", &self.color_out)
            .field("source_date_epoch", &self.source_date_epoch)
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("prompt", &self.prompt.is_some())
            .field("student_passwords", &self.student_passwords.len())
            .finish()
    }
}

impl Default for Config {
    /// A quiet configuration for tests and library use: English, no colour, no environment,
    /// nobody to ask.
    fn default() -> Self {
        Config {
            lang: Lang::En,
            color_out: false,
            color_err: false,
            source_date_epoch: None,
            vars: BTreeMap::new(),
            prompt: None,
            cwd: None,
            system_fonts: true,
            stop_at: None,
            student_passwords: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The value of environment variable `name`, if set and not empty (an empty password
    /// variable is treated as unset everywhere).
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// The password in variable `name`.
    pub fn secret(&self, name: &str) -> Option<Secret> {
        self.var(name).map(Secret::new)
    }

    /// Passes a named point of a build: when it is the test hook's point, says so on standard
    /// error and waits to be killed.
    pub fn checkpoint(&self, point: &str) {
        if self.stop_at.as_deref() == Some(point) {
            eprintln!("dossier: stopped at {point}");
            loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
    }

    /// The password the `DOSSIER_PASSWORDS` file gives the student with this 학번.
    pub fn password_of_student(&self, student_id: &str) -> Option<Secret> {
        self.student_passwords.get(student_id.trim()).filter(|v| !v.is_empty()).map(Secret::new)
    }

    /// Sets the passwords by 학번 (tests, and callers that embed dossier).
    pub fn with_student_passwords(mut self, text: &str) -> Self {
        self.student_passwords = parse_passwords(text);
        self
    }

    /// Sets a variable (tests, and callers that embed dossier).
    pub fn with_var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }

    /// Reads the process environment and terminal. `lang` is `--lang`, when given.
    #[allow(clippy::disallowed_methods)] // the one place that reads the environment
    pub fn from_environment(lang: Option<Lang>) -> Config {
        let vars: BTreeMap<String, String> =
            std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))).collect();
        let no_color = vars.get("NO_COLOR").is_some_and(|v| !v.is_empty());
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        let prompt: Option<Box<Prompt>> = interactive.then(|| Box::new(ask_password) as Box<Prompt>);
        // An unreadable file gives no passwords: the locked files then say which variable or
        // file to set, and no password is ever printed.
        let student_passwords = vars
            .get("DOSSIER_PASSWORDS")
            .filter(|v| !v.is_empty())
            .and_then(|path| std::fs::read(path).ok())
            .map(|bytes| parse_passwords(&String::from_utf8_lossy(&bytes)))
            .unwrap_or_default();
        Config {
            student_passwords,
            lang: lang.unwrap_or_else(|| language(&vars)),
            color_out: !no_color && std::io::stdout().is_terminal(),
            color_err: !no_color && std::io::stderr().is_terminal(),
            source_date_epoch: vars.get("SOURCE_DATE_EPOCH").and_then(|v| v.trim().parse().ok()),
            system_fonts: vars.get("DOSSIER_NO_SYSTEM_FONTS").is_none_or(|v| v.is_empty() || v == "0"),
            cwd: std::env::current_dir().ok(),
            stop_at: vars.get("DOSSIER_TEST_STOP_AT").filter(|v| !v.is_empty()).cloned(),
            prompt,
            vars,
        }
    }
}

/// The terminal's language: `DOSSIER_LANG`, then the POSIX locale variables in their order of
/// precedence, then (Windows, macOS) the user's interface language.
fn language(vars: &BTreeMap<String, String>) -> Lang {
    if let Some(lang) = vars.get("DOSSIER_LANG").and_then(|v| Lang::parse(v)) {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| vars.get(*k).filter(|v| !v.is_empty()));
    match locale {
        Some(locale) => Lang::from_locale(locale),
        None => system_language(),
    }
}

#[cfg(any(windows, target_os = "macos"))]
fn system_language() -> Lang {
    sys_locale::get_locale().map_or(Lang::En, |l| Lang::from_locale(&l))
}

#[cfg(not(any(windows, target_os = "macos")))]
fn system_language() -> Lang {
    Lang::En
}

/// `학번=password` lines (a BOM, blank lines and `#` comments allowed; spaces around the key
/// trimmed, the password kept as written but for the line end).
fn parse_passwords(text: &str) -> BTreeMap<String, String> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(id, password)| (id.trim().to_string(), password.trim_end_matches('\r').to_string()))
        .filter(|(id, _)| !id.is_empty())
        .collect()
}

/// Hidden input on the terminal.
fn ask_password(prompt: &str) -> Option<Secret> {
    rpassword::prompt_password(prompt).ok().filter(|typed| !typed.is_empty()).map(Secret::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn language_follows_posix_precedence_and_dossier_lang() {
        assert_eq!(language(&vars(&[("LANG", "ko_KR.UTF-8")])), Lang::Ko);
        assert_eq!(language(&vars(&[("LANG", "C")])), Lang::En);
        assert_eq!(language(&vars(&[("LANG", "ko_KR.UTF-8"), ("LC_ALL", "en_US.UTF-8")])), Lang::En);
        assert_eq!(language(&vars(&[("LC_MESSAGES", "ko_KR"), ("LANG", "en_US")])), Lang::Ko);
        assert_eq!(language(&vars(&[("LANG", "C"), ("DOSSIER_LANG", "ko")])), Lang::Ko);
        assert_eq!(language(&vars(&[("LC_ALL", ""), ("LANG", "ko_KR.UTF-8")])), Lang::Ko);
    }

    #[test]
    fn empty_password_variables_are_unset_and_never_debug_printed() {
        let config = Config::default().with_var("PW", "").with_var("PW2", "990101");
        assert!(config.secret("PW").is_none());
        assert_eq!(config.secret("PW2").map(|s| s.expose().to_string()).as_deref(), Some("990101"));
        assert!(!format!("{config:?}").contains("990101"));
    }

    #[test]
    fn the_passwords_file_gives_each_student_their_own() {
        let config = Config::default()
            .with_student_passwords("\u{feff}# 학번=비밀번호\n2019123456=990101\r\n 2020 = a=b \n\nbad line\n");
        assert_eq!(config.password_of_student("2019123456").map(|s| s.expose().to_string()).as_deref(), Some("990101"));
        assert_eq!(config.password_of_student("2020").map(|s| s.expose().to_string()).as_deref(), Some(" a=b "));
        assert!(config.password_of_student("2021").is_none());
        assert!(!format!("{config:?}").contains("990101"));
    }
}
