//! Which keys a manifest table may hold, read from the table's own struct,
//! and the check that names an unknown key where it is written.
//!
//! The key lists are never copied by hand: [`fields`] asks serde's derived
//! `Deserialize` for the field names it expects, so adding a field to a
//! table struct is all it takes for the key to be known.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The field names the derived `Deserialize` of `T` expects.
pub fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut found = None;
    let _ = T::deserialize(FieldsProbe(&mut found));
    found.unwrap_or(&[])
}

/// A deserializer that records the fields `deserialize_struct` is called
/// with and stops there.
struct FieldsProbe<'a>(&'a mut Option<&'static [&'static str]>);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probe")
    }
}
impl std::error::Error for Stop {}
impl de::Error for Stop {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for FieldsProbe<'_> {
    type Error = Stop;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = Some(fields);
        Err(Stop)
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A key no table of the manifest knows, with where it is written and the
/// keys that table does know.
#[derive(Debug, PartialEq)]
pub struct UnknownKey {
    pub key: String,
    /// Byte offset of the key in the manifest text.
    pub offset: usize,
    pub known: &'static [&'static str],
}

impl UnknownKey {
    /// The known key closest to this one, if it is close enough to be a typo.
    pub fn suggestion(&self) -> Option<&'static str> {
        crate::diag::suggest(&self.key, self.known)
    }
}

/// The keys of `table` that are not in `known`, in the order written.
pub fn unknown_keys(table: &DeTable<'_>, known: &'static [&'static str]) -> Vec<UnknownKey> {
    let mut out: Vec<UnknownKey> = table
        .keys()
        .filter(|k| !known.contains(&k.get_ref().as_ref()))
        .map(|k| UnknownKey {
            key: k.get_ref().to_string(),
            offset: k.span().start,
            known,
        })
        .collect();
    out.sort_by_key(|u| u.offset);
    out
}

/// The tables inside `value`: itself when it is a table, each element when it
/// is an array of tables (`[[sections]]`), none otherwise (serde reports the
/// wrong type).
pub fn tables<'a, 'i>(value: &'a Spanned<DeValue<'i>>) -> Vec<&'a DeTable<'i>> {
    match value.get_ref() {
        DeValue::Table(t) => vec![t],
        DeValue::Array(items) => items
            .iter()
            .filter_map(|v| match v.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::suggest;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        page_size: Option<String>,
    }

    #[test]
    fn fields_come_from_the_struct() {
        assert_eq!(fields::<Sample>(), &["title", "page_size"]);
    }

    #[test]
    fn unknown_keys_with_offsets() {
        let text = "title = \"T\"\npagesize = \"A4\"\n";
        let table = DeTable::parse(text).unwrap();
        let unknown = unknown_keys(table.get_ref(), fields::<Sample>());
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].key, "pagesize");
        assert_eq!(unknown[0].offset, 12);
        assert_eq!(unknown[0].suggestion(), Some("page_size"));
    }

    #[test]
    fn suggestions() {
        let known = &["title", "page_size"];
        assert_eq!(suggest("titel", known), Some("title"));
        assert_eq!(suggest("zzzzzz", known), None);
    }
}
