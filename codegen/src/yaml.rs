//! Strict YAML → JSON in one pass over the parser's events, recording where every node is.
//!
//! serde_yaml lets the last of two equal keys win (an operation or a field silently vanishes)
//! and, inside openapiv3's untagged `ReferenceOr`, a duplicate key even panics. Reading the
//! events ourselves sees every key with its position, so duplicates, non-scalar keys, custom
//! tags, a second document, runaway aliases and absurd nesting are refused here, located,
//! before anything downstream (recursive walks, serde, progenitor) sees the document.

use std::collections::HashMap;

use granit_parser::{Event, Parser, ScalarStyle, Span, StructureStyle, Tag};
use serde_json::{Map, Number, Value};

use crate::locate::{Locator, Position};
use crate::tree;

/// Deeper nesting is refused: every later stage walks the tree recursively, and real specs
/// stay below 30 levels.
pub const MAX_DEPTH: usize = 96;
/// How many nodes aliases may copy in one document (a "billion laughs" stops here).
const MAX_ALIASED_NODES: usize = 1_000_000;

/// Why the text is not a document we take, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub position: Position,
    /// The node concerned, when there is one (a duplicate key's pointer).
    pub pointer: Option<String>,
    pub message: String,
}

/// The document as JSON, and where each node of it is.
#[derive(Debug, Clone)]
pub struct Document {
    pub value: Value,
    pub locator: Locator,
}

/// Parses one YAML document (an empty text is `null`).
pub fn parse(text: &str) -> Result<Document, YamlError> {
    let mut builder = Builder::default();
    builder.locator.insert("", Position::START);
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|error| {
            let mark = error.marker();
            let at = Position { line: mark.line(), column: mark.col() + 1 };
            let message = format!("not valid YAML: {}", error.info());
            // A flow collection left open shows only on a later line; the mistake is where it opened.
            match builder.stack.last().and_then(|frame| frame.flow_start).filter(|open| open.line < at.line) {
                Some(open) => YamlError {
                    position: open,
                    pointer: None,
                    message: format!("{message} at {at}, inside this flow collection: is its closing bracket missing?"),
                },
                None => YamlError { position: at, pointer: None, message },
            }
        })?;
        let at = position(&span);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        position: at,
                        pointer: None,
                        message: "a spec is one YAML document; a second one starts here".into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag_at = span.tag_start().map_or(at, |mark| Position { line: mark.line(), column: mark.col() + 1 });
                let value = scalar(&text, style, tag.as_deref()).map_err(|message| builder.error(tag_at, message))?;
                builder.node(Node::Scalar(value, text.into_owned()), anchor, at)?;
            }
            Event::SequenceStart(style, anchor, _) => {
                builder.node(Node::Open(Open::Sequence(Vec::new()), style == StructureStyle::Flow), anchor, at)?
            }
            Event::MappingStart(style, anchor, _) => {
                builder.node(Node::Open(Open::Mapping(Map::new(), None), style == StructureStyle::Flow), anchor, at)?
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
            Event::Alias(id) => {
                let (value, size, depth) = builder.anchors.get(&id).cloned().ok_or_else(|| {
                    builder.error(at, "the alias refers to an anchor that is not defined before it".into())
                })?;
                builder.aliased += size;
                if builder.aliased > MAX_ALIASED_NODES {
                    return Err(builder.error(at, format!("aliases expand to more than {MAX_ALIASED_NODES} nodes")));
                }
                builder.node(Node::Alias(value, size, depth), 0, at)?;
            }
            _ => {}
        }
    }
    Ok(Document { value: builder.root.unwrap_or(Value::Null), locator: builder.locator })
}

fn position(span: &Span) -> Position {
    Position { line: span.start.line(), column: span.start.col() + 1 }
}

/// A collection being read.
enum Open {
    Sequence(Vec<Value>),
    /// The entries so far and the key waiting for its value (with its position).
    Mapping(Map<String, Value>, Option<(String, Position)>),
}

/// A node as it arrives: a scalar (value, source text), an alias's copy (value, node
/// count, depth) or the start of a collection (in flow style or not).
enum Node {
    Scalar(Value, String),
    Alias(Value, usize, usize),
    Open(Open, bool),
}

struct Frame {
    open: Open,
    pointer: String,
    anchor: usize,
    /// Where a flow (`{...}`, `[...]`) collection opened.
    flow_start: Option<Position>,
    /// Nodes in this subtree so far, and the depth below it (for alias budgets).
    size: usize,
    depth: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    locator: Locator,
    /// Anchor id → (value, node count, depth).
    anchors: HashMap<usize, (Value, usize, usize)>,
    aliased: usize,
}

impl Builder {
    fn error(&self, position: Position, message: String) -> YamlError {
        YamlError { position, pointer: None, message }
    }

    /// Takes one node: a key, when the enclosing mapping waits for one; else a value.
    fn node(&mut self, node: Node, anchor: usize, at: Position) -> Result<(), YamlError> {
        if let Some(Frame { open: Open::Mapping(map, pending @ None), pointer, .. }) = self.stack.last_mut() {
            let Node::Scalar(_, key) = node else {
                return Err(YamlError {
                    position: at,
                    pointer: Some(pointer.clone()),
                    message: "a mapping key must be a scalar".into(),
                });
            };
            let key_pointer = tree::push(pointer, &key);
            if map.contains_key(&key) {
                let first = self.locator.position(&key_pointer).unwrap_or(at);
                return Err(YamlError {
                    position: at,
                    pointer: Some(key_pointer),
                    message: format!("duplicate key `{key}` (first at {first}); the last one would silently win"),
                });
            }
            self.locator.insert(&key_pointer, at);
            *pending = Some((key, at));
            return Ok(());
        }
        let pointer = match self.stack.last() {
            None => String::new(),
            Some(Frame { open: Open::Sequence(items), pointer, .. }) => {
                let item = tree::push(pointer, &items.len().to_string());
                self.locator.insert(&item, at);
                item
            }
            Some(Frame { open: Open::Mapping(_, Some((key, _))), pointer, .. }) => tree::push(pointer, key),
            Some(Frame { open: Open::Mapping(_, None), .. }) => unreachable!("keys are taken above"),
        };
        let (value, size, depth) = match node {
            Node::Scalar(value, ..) => (value, 1, 0),
            Node::Alias(value, size, depth) => (value, size, depth),
            Node::Open(open, flow) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        position: at,
                        pointer: Some(pointer),
                        message: format!("nesting deeper than {MAX_DEPTH} levels is not supported"),
                    });
                }
                let flow_start = flow.then_some(at);
                self.stack.push(Frame { open, pointer, anchor, flow_start, size: 1, depth: 0 });
                return Ok(());
            }
        };
        if self.stack.len() + depth > MAX_DEPTH {
            return Err(YamlError {
                position: at,
                pointer: Some(pointer),
                message: format!("the alias nests deeper than {MAX_DEPTH} levels"),
            });
        }
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), size, depth));
        }
        self.attach(value, size, depth);
        Ok(())
    }

    /// Ends the innermost collection and attaches it to its parent.
    fn close(&mut self) -> Result<(), YamlError> {
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        let value = match frame.open {
            Open::Sequence(items) => Value::Array(items),
            Open::Mapping(map, _) => Value::Object(map),
        };
        if frame.anchor != 0 {
            self.anchors.insert(frame.anchor, (value.clone(), frame.size, frame.depth + 1));
        }
        self.attach(value, frame.size, frame.depth + 1);
        Ok(())
    }

    fn attach(&mut self, value: Value, size: usize, depth: usize) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(frame) => {
                frame.size += size;
                frame.depth = frame.depth.max(depth);
                match &mut frame.open {
                    Open::Sequence(items) => items.push(value),
                    Open::Mapping(map, pending) => {
                        if let Some((key, _)) = pending.take() {
                            map.insert(key, value);
                        }
                    }
                }
            }
        }
    }
}

/// A scalar's JSON value under the YAML 1.2 core schema: quoted and block scalars are strings,
/// plain ones may be null, booleans or numbers; `!!str` and friends are honoured, custom tags
/// are refused (JSON has nothing to map them to).
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let plain = style == ScalarStyle::Plain;
    let core = match tag {
        None => None,
        Some(tag) if tag.parts() == ("!", "") => return Ok(Value::String(text.to_owned())),
        Some(tag) => match tag.core_suffix() {
            Some(suffix) => Some(suffix),
            None => return Err(format!("the tag `{}` is not supported (JSON has no equivalent)", tag.original())),
        },
    };
    let resolved = || resolve_plain(text);
    match core {
        None if plain => Ok(resolved()),
        None | Some("str") => Ok(Value::String(text.to_owned())),
        Some("null") if matches!(resolved(), Value::Null) => Ok(Value::Null),
        Some("bool") if resolved().is_boolean() => Ok(resolved()),
        Some("int") if resolved().is_i64() || resolved().is_u64() => Ok(resolved()),
        Some("float") if resolved().is_number() => Ok(resolved()),
        Some(other @ ("map" | "seq")) => Err(format!("a scalar cannot have the tag `!!{other}`")),
        Some(other) => Err(format!("`{text}` is not a valid `!!{other}`")),
    }
}

fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(number) = text.parse::<i64>() {
            return Value::from(number);
        }
        if let Ok(number) = text.strip_prefix('+').unwrap_or(text).parse::<u64>() {
            return Value::from(number);
        }
    }
    if let Some(hex) = text.strip_prefix("0x").filter(|hex| !hex.is_empty())
        && let Ok(number) = u64::from_str_radix(hex, 16)
    {
        return Value::from(number);
    }
    if let Some(octal) = text.strip_prefix("0o").filter(|octal| !octal.is_empty())
        && let Ok(number) = u64::from_str_radix(octal, 8)
    {
        return Value::from(number);
    }
    if is_float(digits)
        && let Some(number) = text.parse::<f64>().ok().and_then(Number::from_f64)
    {
        return Value::Number(number);
    }
    Value::String(text.to_owned())
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(cut) => (&text[..cut], Some(&text[cut + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|exponent| {
        let exponent = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
        !exponent.is_empty() && digits(exponent)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(text: &str) -> YamlError {
        parse(text).unwrap_err()
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let document = parse(
            "a: 1\nb: -2.5\nc: true\nd: ~\ne: '1'\nf: 1.0.3\ng: !!str 5\nh: 0x1F\ni: 18446744073709551615\nj: 1e3\n",
        )
        .unwrap();
        assert_eq!(
            document.value,
            json!({"a": 1, "b": -2.5, "c": true, "d": null, "e": "1", "f": "1.0.3", "g": "5", "h": 31,
                   "i": 18446744073709551615u64, "j": 1000.0})
        );
    }

    #[test]
    fn every_node_is_located_at_its_key_or_item() {
        let document = parse("openapi: 3.0.3\npaths:\n  /a:\n    get:\n      tags:\n      - x\n      - y\n").unwrap();
        let at = |pointer| document.locator.position(pointer).map(|p| p.to_string());
        assert_eq!(at("/paths/~1a/get").as_deref(), Some("4:5"));
        assert_eq!(at("/paths/~1a/get/tags/1").as_deref(), Some("7:9"));
        assert_eq!(at("").as_deref(), Some("1:1"));
    }

    #[test]
    fn duplicate_keys_are_refused_at_the_second_with_the_first_named() {
        let found = error("a:\n  b: 1\n  c: 2\n  b: 3\n");
        assert_eq!(found.position, Position { line: 4, column: 3 });
        assert_eq!(found.pointer.as_deref(), Some("/a/b"));
        assert!(found.message.contains("duplicate key `b` (first at 2:3)"), "{}", found.message);
    }

    #[test]
    fn quoted_and_plain_keys_of_the_same_text_are_duplicates() {
        assert!(error("'200': x\n200: y\n").message.contains("duplicate key `200`"));
    }

    #[test]
    fn a_syntax_error_is_placed_where_the_parser_saw_it() {
        let found = error("openapi: 3.0.3\ninfo: {title: Bad, version: \"1\"\npaths: {}\n");
        assert_eq!(found.position, Position { line: 2, column: 7 });
        assert!(found.message.contains("at 3:1, inside this flow collection"), "{}", found.message);
        assert_eq!(error("info: [unclosed\n").position, Position { line: 1, column: 7 });
    }

    #[test]
    fn structural_oddities_are_refused_with_a_position() {
        assert!(error("? [a]\n: b\n").message.contains("a mapping key must be a scalar"));
        assert!(error("a: 1\n---\nb: 2\n").message.contains("a second one starts here"));
        assert!(error("a: !custom x\n").message.contains("the tag `!custom` is not supported"));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(error(&deep).message.contains("nesting deeper than"));
    }

    #[test]
    fn aliases_copy_their_anchor_within_a_budget() {
        let document = parse("a: &x {b: 1}\nc: *x\n").unwrap();
        assert_eq!(document.value, json!({"a": {"b": 1}, "c": {"b": 1}}));
        let mut laughs = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = level - 1;
            laughs.push_str(&format!("l{level}: &l{level} [*l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}, *l{previous}]\n"));
        }
        assert!(error(&laughs).message.contains("aliases expand to more than"));
    }
}
