//! The TypeScript bindings writer: specta's TypeScript, with the core's ID
//! newtypes (`ClaimId`, `DraftId`, …) exported as branded numbers.
//!
//! specta-typescript 0.0.9 exports `struct ClaimId(i64)` as `number`, so the
//! UI could pass a draft's ID where a claim's is wanted and nothing would
//! complain. It has no branded types of its own (they came after the pinned
//! release), so this writer renders as specta does and then rewrites each such
//! definition, found in specta's own type map (not by its name), as
//! `number & { readonly __brand: "ClaimId" }`.

use specta::datatype::{DataType, NamedDataType, PrimitiveType};
use specta_typescript::{ExportError, ExportPath, Typescript};
use tauri_specta::{ExportContext, LanguageExt};

/// specta's TypeScript exporter, with integer newtypes branded.
pub struct BrandedTypescript(pub Typescript);

impl LanguageExt for BrandedTypescript {
    type Error = ExportError;

    fn render(&self, context: &ExportContext) -> Result<String, ExportError> {
        let mut rendered = self.0.render(context)?;
        for (_, named) in &context.type_map {
            if !is_integer_newtype(named) {
                continue;
            }
            let name = named.name();
            let refuse = |why: &str| ExportError::Other(ExportPath::new_unsafe(name), why.to_string());
            let plain = specta_typescript::export_named_datatype(&self.0, named, &context.type_map)?;
            let branded = brand(&plain, name).ok_or_else(|| refuse("an integer newtype not exported as `number`"))?;
            // Replaced only where it is exactly once: a second copy would mean the type is defined twice and the
            // brand would cover one of them.
            if rendered.matches(&plain).count() != 1 {
                return Err(refuse("its definition is not in the bindings exactly once"));
            }
            rendered = rendered.replacen(&plain, &branded, 1);
        }
        Ok(rendered)
    }

    fn format(&self, path: &std::path::Path) -> Result<(), ExportError> {
        self.0.format(path)
    }
}

/// A named type whose definition is an integer: only a `#[serde(transparent)]`
/// newtype around one (`pub struct ClaimId(pub i64)`) is that. In Rust it is a
/// type of its own; in TypeScript a bare `number` unless it is branded.
fn is_integer_newtype(named: &NamedDataType) -> bool {
    use PrimitiveType::*;
    matches!(
        named.inner,
        DataType::Primitive(i8 | i16 | i32 | i64 | i128 | isize | u8 | u16 | u32 | u64 | u128 | usize)
    )
}

/// `export type ClaimId = number` (after its doc comment) as a branded number.
fn brand(definition: &str, name: &str) -> Option<String> {
    let body = definition.strip_suffix(" = number")?;
    Some(format!("{body} = number & {{ readonly __brand: \"{name}\" }}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_number_definition_is_branded_with_its_own_name() {
        assert_eq!(
            super::brand("/**\n * A claim.\n */\nexport type ClaimId = number", "ClaimId").as_deref(),
            Some("/**\n * A claim.\n */\nexport type ClaimId = number & { readonly __brand: \"ClaimId\" }")
        );
        assert_eq!(super::brand("export type Pair = [number, number]", "Pair"), None);
    }

    /// Every ID newtype of the core reaches the UI branded, and no other type does.
    #[test]
    fn the_bindings_brand_the_id_types_and_nothing_else() {
        let generated = crate::specta_builder().export_str(crate::typescript()).expect("bindings export");
        let branded: Vec<&str> = generated
            .lines()
            .filter(|line| line.contains("readonly __brand"))
            .filter_map(|line| line.strip_prefix("export type ")?.split(' ').next())
            .collect();
        let ids = [
            "AssignmentId",
            "ClaimId",
            "DeskId",
            "DraftId",
            "EvidenceId",
            "InboxId",
            "NoteId",
            "OverrideId",
            "SourceId",
            "VersionId",
        ];
        assert_eq!(branded, ids);
        for id in ids {
            assert!(generated.contains(&format!("export type {id} = number & {{ readonly __brand: \"{id}\" }}\n")));
        }
    }
}
