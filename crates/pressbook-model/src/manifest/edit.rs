//! Editing the manifest in place for `new`, `add` and `fetch`: an article
//! listed where the user would list it, with comments and layout kept.

use std::path::Path;

use anyhow::Context;

use super::MANIFEST_NAME;

/// The manifest text with `name` listed as `new` lists it (comments and
/// layout kept), for `add` and `fetch`, which write it only once the article
/// file is in place.
pub fn manifest_listing(dir: &Path, name: &str, section: Option<&str>) -> anyhow::Result<String> {
    let manifest_path = dir.join(MANIFEST_NAME);
    let text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read {}", manifest_path.display()))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{} is not valid TOML", manifest_path.display()))?;
    list_in_manifest(&mut doc, name, section)?;
    Ok(doc.to_string())
}

pub fn list_in_manifest(
    doc: &mut toml_edit::DocumentMut,
    name: &str,
    section: Option<&str>,
) -> anyhow::Result<()> {
    use toml_edit::{value, Array, ArrayOfTables, Item, Table};
    if let Some(sections) = doc
        .get_mut("sections")
        .and_then(Item::as_array_of_tables_mut)
    {
        let index = match section {
            Some(s) => sections
                .iter()
                .position(|t| t.get("title").and_then(|v| v.as_str()) == Some(s)),
            None => sections.len().checked_sub(1),
        };
        let table = match index {
            Some(i) => sections.get_mut(i).context("section vanished")?,
            None => {
                let mut t = Table::new();
                t.insert("title", value(section.unwrap_or("Articles")));
                t.insert("articles", value(Array::new()));
                sections.push(t);
                let last = sections.len() - 1;
                sections.get_mut(last).context("section vanished")?
            }
        };
        let arr = table
            .entry("articles")
            .or_insert(value(Array::new()))
            .as_array_mut()
            .context("`articles` in a section is not a list")?;
        arr.push(name);
        return Ok(());
    }
    if let Some(arr) = doc.get_mut("articles").and_then(Item::as_array_mut) {
        arr.push(name);
        return Ok(());
    }
    if let Some(s) = section {
        // No list yet: start sections, since the user named one.
        let mut t = Table::new();
        t.insert("title", value(s));
        let mut a = Array::new();
        a.push(name);
        t.insert("articles", value(a));
        let mut aot = ArrayOfTables::new();
        aot.push(t);
        doc.insert("sections", Item::ArrayOfTables(aot));
    }
    // Otherwise the digest discovers articles under articles/ by itself.
    Ok(())
}
