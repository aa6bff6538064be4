//! Where each node of a spec is in its text: a map from JSON pointer to line and column, built
//! once while the YAML is parsed (`yaml.rs`), so load, validate, lint and audit place every
//! diagnostic in O(1) instead of re-scanning the text per finding.

use std::collections::HashMap;
use std::fmt;

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The start of the text, where the document root is.
    pub const START: Position = Position { line: 1, column: 1 };
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// JSON pointer → position of the node: a mapping entry is at its key, a sequence item at its
/// first character. Nodes that only exist through an alias are not in the map (their ancestor
/// is).
#[derive(Clone, Default)]
pub struct Locator {
    positions: HashMap<Box<str>, Position>,
}

impl fmt::Debug for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Locator({} nodes)", self.positions.len())
    }
}

impl Locator {
    pub(crate) fn insert(&mut self, pointer: &str, position: Position) {
        self.positions.entry(pointer.into()).or_insert(position);
    }

    /// The position of the node at `pointer`, if the text shows it (`""` is the root).
    pub fn position(&self, pointer: &str) -> Option<Position> {
        if pointer.is_empty() {
            return Some(self.positions.get("").copied().unwrap_or(Position::START));
        }
        self.positions.get(pointer).copied()
    }

    /// The position of `pointer`, or of its nearest ancestor the text shows (at worst the root);
    /// says whether it was `pointer` itself.
    pub fn nearest(&self, pointer: &str) -> (Position, bool) {
        let mut node = pointer;
        loop {
            if let Some(found) = self.position(node) {
                return (found, node == pointer);
            }
            node = node.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_node_falls_back_to_its_nearest_ancestor() {
        let mut locator = Locator::default();
        locator.insert("/paths", Position { line: 3, column: 1 });
        assert_eq!(locator.nearest("/paths/~1a/get"), (Position { line: 3, column: 1 }, false));
        assert_eq!(locator.nearest("/paths"), (Position { line: 3, column: 1 }, true));
        assert_eq!(locator.nearest("/info"), (Position::START, false));
    }
}
