//! The line of every node of a YAML document, by JSON pointer.
//!
//! A YAML parser forgets where a value was once it is parsed, but a lint finding has to
//! say `specs/x.yaml:123`. This index is built from the parser's marked events: each
//! mapping key and each sequence item is recorded under the JSON pointer of the value
//! it introduces (`/paths/~1payments/post/operationId`).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// JSON pointer -> 1-based line.
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

impl LineIndex {
    /// Indexes `text`. A document that does not parse yields an empty index (every
    /// lookup answers line 1); the parse error itself is reported by whoever parses it.
    pub fn of(text: &str) -> Self {
        let mut recorder = Recorder::default();
        let _ = Parser::new_from_str(text).load(&mut recorder, false);
        Self {
            lines: recorder.lines,
        }
    }

    /// The line of the node at `pointer`, or of its nearest indexed ancestor.
    pub fn line(&self, pointer: &str) -> usize {
        let mut pointer = pointer;
        loop {
            if let Some(line) = self.lines.get(pointer) {
                return *line;
            }
            match pointer.rfind('/') {
                Some(slash) => pointer = &pointer[..slash],
                None => return 1,
            }
        }
    }
}

/// Escapes one JSON pointer segment (`/` -> `~1`, `~` -> `~0`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The pointer of what has none: a collection used as a mapping key.
const NO_POINTER: &str = "\u{0}";

/// Where the parser is: the pointer of each open collection and what comes next in it.
enum Frame {
    Mapping {
        pointer: String,
        /// The key whose value comes next, once the key has been read.
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        next_index: usize,
    },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

impl Recorder {
    /// Called for every node that starts: returns the node's pointer, or `None` when
    /// the node is a mapping key (keys are recorded as the pointer of their value).
    fn enter_node(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence {
                pointer,
                next_index,
            }) => {
                let child = format!("{pointer}/{next_index}");
                *next_index += 1;
                self.lines.insert(child.clone(), mark.line());
                Some(child)
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                Some(key) => Some(format!("{pointer}/{}", escape(&key))),
                None => {
                    // A key. A non-scalar key gets a name no pointer uses, so its
                    // value is still consumed in order.
                    let name = scalar.unwrap_or(NO_POINTER).to_string();
                    self.lines
                        .insert(format!("{pointer}/{}", escape(&name)), mark.line());
                    *key = Some(name);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.enter_node(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.enter_node(None, mark);
            }
            Event::MappingStart(..) => {
                let pointer = self
                    .enter_node(None, mark)
                    .unwrap_or_else(|| NO_POINTER.into());
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self
                    .enter_node(None, mark)
                    .unwrap_or_else(|| NO_POINTER.into());
                self.stack.push(Frame::Sequence {
                    pointer,
                    next_index: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}
