//! The article's blocks written out: CommonMark (with GFM tables) for the
//! article file, plain text for `extract --json` and for counting words.

use crate::blocks::{collapse, plain, plain_into, Blk, Inl};

/// Renders blocks as CommonMark (GFM tables).
pub fn to_markdown(blocks: &[Blk]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        let s = block_md(b);
        if !s.trim().is_empty() {
            parts.push(s);
        }
    }
    let mut s = parts.join("\n\n");
    s.push('\n');
    s
}

fn block_md(b: &Blk) -> String {
    match b {
        Blk::Heading(level, c) => {
            let text = inline_md(c, false).replace('\n', " ");
            format!("{} {}", "#".repeat(usize::from(*level)), text)
        }
        Blk::Para(c) => inline_md(c, false)
            .lines()
            .map(escape_line_start)
            .collect::<Vec<_>>()
            .join("\n"),
        Blk::List { start, items } => {
            let tight = items
                .iter()
                .all(|i| i.len() == 1 && matches!(i[0], Blk::Para(_)));
            let mut out = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(s) => format!("{}. ", s + n as u64),
                    None => "- ".to_string(),
                };
                let body = to_markdown(item);
                let pad = " ".repeat(marker.len());
                let mut lines = Vec::new();
                for (k, line) in body.trim_end().lines().enumerate() {
                    if k == 0 {
                        lines.push(format!("{marker}{line}"));
                    } else if line.is_empty() {
                        lines.push(String::new());
                    } else {
                        lines.push(format!("{pad}{line}"));
                    }
                }
                out.push(lines.join("\n"));
            }
            out.join(if tight { "\n" } else { "\n\n" })
        }
        Blk::Quote(c) => to_markdown(c)
            .trim_end()
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">".to_string()
                } else {
                    format!("> {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Blk::Code(text) => {
            let mut fence = "```".to_string();
            while text.contains(&fence) {
                fence.push('`');
            }
            format!("{fence}\n{text}\n{fence}")
        }
        Blk::Table(rows) => {
            let cell = |c: &Vec<Inl>| {
                let s = inline_md(c, true);
                if s.is_empty() {
                    " ".to_string()
                } else {
                    s
                }
            };
            let mut out = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                out.push(format!(
                    "| {} |",
                    row.iter().map(cell).collect::<Vec<_>>().join(" | ")
                ));
                if i == 0 {
                    out.push(format!("|{}", " --- |".repeat(row.len())));
                }
            }
            out.join("\n")
        }
        Blk::Figure { src, alt, caption } => {
            let mut s = format!("![{}]({}", escape_text(alt), escape_url(src));
            if !caption.is_empty() {
                s.push_str(&format!(
                    " \"{}\"",
                    caption.replace('\\', "\\\\").replace('"', "\\\"")
                ));
            }
            s.push(')');
            s
        }
        Blk::Rule => "---".to_string(),
    }
}

/// Inline content as Markdown, whitespace collapsed and trimmed. In a
/// table cell, line breaks become spaces.
fn inline_md(items: &[Inl], cell: bool) -> String {
    let mut s = String::new();
    inline_md_into(items, cell, &mut s);
    tidy(&s)
}

fn inline_md_into(items: &[Inl], cell: bool, s: &mut String) {
    for i in items {
        match i {
            Inl::Text(t) => s.push_str(&escape_text(&t.replace(char::is_whitespace, " "))),
            Inl::Code(t) => {
                if t.trim().is_empty() {
                    continue;
                }
                let mut ticks = "`".to_string();
                while t.contains(&ticks) {
                    ticks.push('`');
                }
                let pad = if t.starts_with('`') || t.ends_with('`') {
                    " "
                } else {
                    ""
                };
                s.push_str(&format!("{ticks}{pad}{t}{pad}{ticks}"));
            }
            Inl::Emph(c) => wrap(c, "*", cell, s),
            Inl::Strong(c) => wrap(c, "**", cell, s),
            Inl::Strike(c) => wrap(c, "~~", cell, s),
            Inl::Link(url, c) => {
                let mut inner = String::new();
                inline_md_into(c, cell, &mut inner);
                let inner = tidy(&inner);
                if inner.is_empty() {
                    continue;
                }
                s.push_str(&format!("[{inner}]({})", escape_url(url)));
            }
            Inl::Image { src, alt } => {
                s.push_str(&format!("![{}]({})", escape_text(alt), escape_url(src)))
            }
            Inl::Break => s.push_str(if cell { " " } else { "\\\n" }),
        }
    }
}

/// Emphasis markers hug the words: spaces at the edges move outside.
fn wrap(c: &[Inl], marker: &str, cell: bool, s: &mut String) {
    let mut inner = String::new();
    inline_md_into(c, cell, &mut inner);
    let lead = inner.starts_with(char::is_whitespace);
    let trail = inner.ends_with(char::is_whitespace);
    let inner = tidy(&inner);
    if inner.is_empty() || inner == "\\" {
        if lead || trail {
            s.push(' ');
        }
        return;
    }
    if lead {
        s.push(' ');
    }
    s.push_str(marker);
    s.push_str(inner.trim_end_matches("\\\n"));
    s.push_str(marker);
    if trail {
        s.push(' ');
    }
}

/// Collapses runs of spaces, trims each line and drops trailing breaks.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with('\n') && c != '\n' {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    let mut t = out.trim().to_string();
    while let Some(stripped) = t.strip_suffix('\\') {
        t = stripped.trim_end().to_string();
    }
    t
}

/// Backslash-escapes the characters that Markdown would read as markup
/// (including `<`, so no text ever becomes raw HTML).
pub fn escape_text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Characters a line may not start with unescaped (heading, list, rule).
fn escape_line_start(line: &str) -> String {
    let t = line.trim_start();
    let first = t.chars().next();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let after_digits = t[digits..].chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=')) {
        return format!("\\{t}");
    }
    if digits > 0 && matches!(after_digits, Some('.' | ')')) {
        return format!("{}\\{}", &t[..digits], &t[digits..]);
    }
    t.to_string()
}

fn escape_url(u: &str) -> String {
    let mut out = String::with_capacity(u.len());
    for c in u.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

// -------------------------------------------------------------- plain text

/// The body as plain text, paragraphs separated by blank lines.
pub fn to_text(blocks: &[Blk]) -> String {
    let mut parts = Vec::new();
    text_into(blocks, &mut parts);
    parts.retain(|p| !p.trim().is_empty());
    parts.join("\n\n")
}

fn text_into(blocks: &[Blk], parts: &mut Vec<String>) {
    for b in blocks {
        match b {
            Blk::Heading(_, c) => parts.push(plain(c)),
            Blk::Para(c) => {
                let mut s = String::new();
                plain_into(c, &mut s, "\n");
                parts.push(
                    s.lines()
                        .map(collapse)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
            Blk::List { items, .. } => items.iter().for_each(|i| text_into(i, parts)),
            Blk::Quote(c) => text_into(c, parts),
            Blk::Code(t) => parts.push(t.clone()),
            Blk::Table(rows) => parts.push(
                rows.iter()
                    .map(|r| r.iter().map(|c| plain(c)).collect::<Vec<_>>().join("\t"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Blk::Figure { caption, .. } => parts.push(caption.clone()),
            Blk::Rule => {}
        }
    }
}
