//! The manifests shipped inside the binary, for `dossier init` and `dossier verify --template`.

/// A template shipped inside the binary.
pub struct Template {
    /// Name for `--template`.
    pub name: &'static str,
    /// One line on what it is for.
    pub description: &'static str,
    /// The manifest text.
    pub text: &'static str,
}

/// Every shipped template.
pub const TEMPLATES: &[Template] = &[
    Template {
        name: "ict-internship",
        description: "ICT 학점연계 프로젝트 인턴십: 지도교수, 학과사무실, 현장실습지원센터 (15 credits, 4 months)",
        text: include_str!("../../manifests/ict-internship.toml"),
    },
    Template {
        name: "minimal",
        description: "one recipient, a certificate and monthly pay stubs: a small start to edit",
        text: include_str!("../../manifests/minimal.toml"),
    },
];

/// The template called `name`.
pub fn find(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_template_is_a_valid_manifest() {
        for t in TEMPLATES {
            let m = crate::manifest::parse(t.text, Path::new("/x/dossier.toml"))
                .unwrap_or_else(|e| panic!("{}: {e}", t.name));
            assert!(!m.items.is_empty() && !m.recipients.is_empty(), "{}", t.name);
        }
    }
}
