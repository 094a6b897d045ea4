//! Closed sets of names spelled in kebab-case (a source's kind, a claim's
//! attribution, a rule): how they are serialised, stored and parsed, with
//! one error for a name that is none of them. Below every capability, so any
//! of them can declare such a set.

/// A name that is none of a set's: says which set and lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {given:?}: use one of {valid}")]
pub struct UnknownName {
    pub what: &'static str,
    pub given: String,
    pub valid: String,
}

/// A closed set of names spelled in kebab-case: serialised so, parsed
/// case-insensitively (`_` and spaces count as `-`), an unknown name being an
/// error that lists the valid ones.
macro_rules! kebab_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "kebab-case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The valid names, comma separated (for help texts and errors).
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::names::UnknownName;

            fn from_str(given: &str) -> Result<Self, Self::Err> {
                let wanted = given.trim().replace(['_', ' '], "-");
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(&wanted)).ok_or_else(|| {
                    $crate::names::UnknownName {
                        what: $what,
                        given: given.to_owned(),
                        valid: Self::names(),
                    }
                })
            }
        }
    };
}
pub(crate) use kebab_enum;
