//! Small helpers over scraper's tree for reading reference pages: text with whitespace
//! collapsed, a table's own rows, the text a list item opens with.

use scraper::ElementRef;
use scraper::node::Node;

/// The rows of this table (not of tables nested in its cells), each as its `th`/`td` cells.
pub fn rows(table: ElementRef) -> Vec<Vec<ElementRef>> {
    table
        .descendent_elements()
        .filter(|element| element.value().name() == "tr")
        .filter(|row| nearest(*row, "table") == Some(table))
        .map(|row| row.child_elements().filter(|cell| matches!(cell.value().name(), "td" | "th")).collect())
        .filter(|cells: &Vec<ElementRef>| !cells.is_empty())
        .collect()
}

/// The caption without its `Table N` prefix.
pub fn caption(table: ElementRef) -> Option<String> {
    let caption = table.child_elements().find(|child| child.value().name() == "caption")?;
    let caption = text(caption);
    let rest = caption.strip_prefix("Table").map(str::trim_start).unwrap_or(&caption);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit()).trim();
    Some(rest.to_owned())
}

/// The nearest enclosing element named `name`.
pub fn nearest<'a>(element: ElementRef<'a>, name: &str) -> Option<ElementRef<'a>> {
    element.ancestors().filter_map(ElementRef::wrap).find(|ancestor| ancestor.value().name() == name)
}

/// The text a list item opens with, before its first block (table, code, list, note).
pub fn lead_text(item: ElementRef) -> String {
    let mut lead = String::new();
    for child in item.children() {
        match child.value() {
            Node::Text(text) => lead.push_str(text),
            Node::Element(element) if matches!(element.name(), "div" | "table" | "pre" | "ul" | "ol" | "aside") => {
                break;
            }
            // "Example response" then a sentence about it: the first paragraph names the item.
            Node::Element(element) if element.name() == "p" && !normalize(&lead).is_empty() => break,
            Node::Element(element) => {
                lead.extend(ElementRef::wrap(child).into_iter().flat_map(|child| child.text()));
                if element.name() == "p" {
                    break;
                }
            }
            _ => {}
        }
    }
    normalize(&lead)
}

/// The element's text without what its tables say.
pub fn text_outside_tables(element: ElementRef) -> String {
    let mut out = String::new();
    collect_outside_tables(element, &mut out);
    normalize(&out)
}

fn collect_outside_tables(element: ElementRef, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) if element.name() == "table" => {}
            Node::Element(_) => {
                out.push(' ');
                collect_outside_tables(ElementRef::wrap(child).expect("an element"), out);
            }
            _ => {}
        }
    }
}

pub fn has_class(element: ElementRef, class: &str) -> bool {
    element.value().classes().any(|name| name == class)
}

/// The element's text with whitespace collapsed.
pub fn text(element: ElementRef) -> String {
    normalize(&element.text().collect::<String>())
}

/// Collapses whitespace (including no-break spaces) and drops zero-width spaces.
pub fn normalize(text: &str) -> String {
    text.replace('\u{200b}', "").split_whitespace().collect::<Vec<_>>().join(" ")
}
