//! The Description cell of a parameter row: its text, and the closed value list it gives.
//! Pages state value lists in three ways, tried in this order:
//! 1. a marker paragraph (`Enums:`, `Options:`, `The enumerated values are as follows:`) followed
//!    by one item or paragraph per value (`X86_64: x86 architecture`);
//! 2. a bulleted list whose every item is a bare value (`x86`, `arm`; `timing: ...`);
//! 3. prose: `The value can be zvhd2, vhd, raw, or qcow2.`

use scraper::ElementRef;
use scraper::node::Node;

use super::dom::normalize;

/// Markers that end the paragraph introducing a value list (lowercase).
const MARKERS: [&str; 8] =
    ["enums:", "enum values:", "options:", "as follows:", "following:", "can be:", "include:", "includes:"];

/// One paragraph or list item of the cell.
#[derive(Debug)]
struct Block {
    text: String,
    item: bool,
}

/// The cell's text and its value list (empty when it gives none).
pub fn read(cell: ElementRef) -> (String, Vec<String>) {
    let mut blocks = Vec::new();
    let mut current = String::new();
    collect(cell, &mut blocks, &mut current);
    flush(&mut blocks, &mut current, false);
    let text = blocks.iter().map(|block| block.text.as_str()).collect::<Vec<_>>().join(" ");
    // The paragraph introducing a list says whether it is this field's closed value list.
    let introduction = blocks
        .iter()
        .position(marker)
        .or_else(|| blocks.iter().position(|block| block.item).and_then(|first| first.checked_sub(1)));
    let values = if introduction.is_some_and(|at| !closed(&blocks[at].text)) {
        prose(&text)
    } else {
        listed(&blocks).or_else(|| bulleted(&blocks)).or_else(|| prose(&text))
    };
    (text, values.unwrap_or_default())
}

fn collect(element: ElementRef, blocks: &mut Vec<Block>, current: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(inner) => {
                let child = ElementRef::wrap(child).expect("an element");
                match inner.name() {
                    "li" => {
                        flush(blocks, current, false);
                        current.extend(child.text());
                        flush(blocks, current, true);
                    }
                    "p" | "div" | "ul" | "ol" | "pre" | "table" | "aside" | "br" => {
                        flush(blocks, current, false);
                        collect(child, blocks, current);
                        flush(blocks, current, false);
                    }
                    _ => collect(child, blocks, current),
                }
            }
            _ => {}
        }
    }
}

fn flush(blocks: &mut Vec<Block>, current: &mut String, item: bool) {
    let text = normalize(current);
    current.clear();
    if !text.is_empty() {
        blocks.push(Block { text, item });
    }
}

/// Rule 1: the values following a marker paragraph, up to the first block that is no value.
fn listed(blocks: &[Block]) -> Option<Vec<String>> {
    let marker = blocks.iter().position(marker)?;
    let values: Vec<String> = blocks[marker + 1..].iter().map_while(|block| value(&block.text)).collect();
    (!values.is_empty()).then_some(values)
}

fn marker(block: &Block) -> bool {
    let lower = block.text.to_lowercase();
    MARKERS.iter().any(|marker| lower.ends_with(marker))
}

/// Whether a list introduced by `text` is the field's closed value list: not when it lists
/// another field's values ("returned only when the value of job_type is one of the following:")
/// or only examples ("The following flavors are for reference only.").
fn closed(text: &str) -> bool {
    let lower = format!(" {}", text.to_lowercase());
    let last_sentence = lower.rsplit(". ").next().unwrap_or(&lower);
    let conditional = [" when ", " if ", " only for "].iter().any(|word| last_sentence.contains(word));
    let examples = ["for reference", "for example", "such as", "e.g."].iter().any(|words| lower.contains(words));
    !conditional && !examples
}

/// Rule 2: a list whose items are all values.
fn bulleted(blocks: &[Block]) -> Option<Vec<String>> {
    let items: Vec<&Block> = blocks.iter().filter(|block| block.item).collect();
    if items.is_empty() {
        return None;
    }
    items.iter().map(|block| value(&block.text)).collect()
}

/// Rule 3: `the value can be a, b, or c` (at least two values, each a single word).
fn prose(text: &str) -> Option<Vec<String>> {
    let lower = text.to_ascii_lowercase();
    let start =
        ["value can be ", "values can be "].iter().find_map(|lead| lower.find(lead).map(|at| at + lead.len()))?;
    let rest = &text[start..];
    let end = rest.find(". ").or_else(|| rest.find(';')).unwrap_or(rest.len());
    let list = rest[..end].trim_end_matches('.').replace(", or ", ",").replace(", and ", ",").replace(" or ", ",");
    let values: Option<Vec<String>> = list.split(',').map(|part| value(part.trim())).collect();
    values.filter(|values| values.len() >= 2)
}

/// The value an entry names: the text before `:` (`X86_64: x86 architecture`), or the whole
/// entry; `None` when that is more than one word (a sentence, not a value).
fn value(entry: &str) -> Option<String> {
    let key = entry.split_once(':').map_or(entry, |(key, _)| key);
    let key = key.trim().trim_end_matches('.').trim_matches(|c| matches!(c, '"' | '\'' | '“' | '”'));
    let word = !key.is_empty() && key.len() <= 64 && !key.contains(char::is_whitespace);
    (word && !key.eq_ignore_ascii_case("note")).then(|| key.to_owned())
}

/// Whether `text` mentions `value` as a whole word (`ECS/BMS` mentions `BMS`; `BMS2` does not).
pub fn mentions(text: &str, value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(value).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}
