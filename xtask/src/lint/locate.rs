//! Finds the line and column of a JSON pointer in YAML text, so findings read like compiler
//! diagnostics. It walks keys by indentation and understands block-style YAML as our specs write
//! it (mappings, `- ` sequences, quoted keys); anything else (flow collections, anchors) is not
//! found, and the caller falls back to an ancestor.

/// One place a node can start: a mapping key or a sequence item's dash.
#[derive(Debug)]
struct Entry {
    /// 0-based line and column.
    line: usize,
    column: usize,
    /// The key, or `None` for a `- ` item.
    key: Option<String>,
}

/// The 1-based line and column of the node at `pointer` (its key, or its dash for a sequence
/// item); `None` when the text does not show it in block style. The root is at 1:1.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let entries = entries(text);
    let mut parent: Option<usize> = None;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        parent = Some(child(&entries, parent, &token)?);
    }
    Some(parent.map_or((1, 1), |index| (entries[index].line + 1, entries[index].column + 1)))
}

/// The entry of `parent`'s child named `token` (a key, or an item index).
fn child(entries: &[Entry], parent: Option<usize>, token: &str) -> Option<usize> {
    let (start, parent_column, parent_is_key) = match parent {
        None => (0, None, true),
        Some(index) => (index + 1, Some(entries[index].column), entries[index].key.is_some()),
    };
    // A key's children may be a sequence at the key's own indentation (`key:\n- item`).
    let inside = |entry: &Entry| match parent_column {
        None => true,
        Some(column) => entry.column > column || (parent_is_key && entry.column == column && entry.key.is_none()),
    };
    let first = entries.get(start).filter(|entry| inside(entry))?;
    let column = first.column;
    let mut siblings = (start..entries.len())
        .take_while(|&index| inside(&entries[index]))
        .filter(|&index| entries[index].column == column);
    if first.key.is_none() {
        let wanted: usize = token.parse().ok()?;
        siblings.filter(|&index| entries[index].key.is_none()).nth(wanted)
    } else {
        siblings.find(|&index| entries[index].key.as_deref() == Some(token))
    }
}

/// Every key and dash of the text, in order. Blank and comment lines are skipped; so are the
/// lines of block scalars (`|`, `>`), whose text could otherwise look like keys.
fn entries(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut scalar_above: Option<usize> = None;
    for (line, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        let mut column = raw.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        match scalar_above {
            Some(indent) if column > indent => continue,
            _ => scalar_above = None,
        }
        let mut rest = trimmed;
        while rest == "-" || rest.starts_with("- ") {
            entries.push(Entry { line, column, key: None });
            let after = rest[1..].trim_start();
            column += rest.len() - after.len();
            rest = after;
        }
        if let Some((key, value)) = split_key(rest) {
            let value = value.split(" #").next().unwrap_or_default().trim();
            if value.starts_with('|') || value.starts_with('>') {
                scalar_above = Some(column);
            }
            entries.push(Entry { line, column, key: Some(key) });
        }
    }
    entries
}

/// `key: value` → the key (unquoted) and the value text; `None` when the line holds no key.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, after) = match content.chars().next()? {
        quote @ ('\'' | '"') => {
            let mut key = String::new();
            let mut chars = content.char_indices().skip(1);
            loop {
                let (index, char) = chars.next()?;
                if char == quote && quote == '\'' && content[index + 1..].starts_with('\'') {
                    key.push('\'');
                    chars.next();
                } else if char == quote {
                    break (key, &content[index + 1..]);
                } else if char == '\\' && quote == '"' {
                    key.push(chars.next()?.1);
                } else {
                    key.push(char);
                }
            }
        }
        '{' | '[' => return None,
        _ => {
            let end = content.find(": ").or_else(|| content.strip_suffix(':').map(str::len))?;
            (content[..end].trim_end().to_owned(), &content[end..])
        }
    };
    let value = after.trim_start().strip_prefix(':')?;
    (value.is_empty() || value.starts_with(' ')).then_some((key, value))
}
