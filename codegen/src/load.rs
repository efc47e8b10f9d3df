//! Load stage: a YAML or JSON file becomes a typed OpenAPI document plus an
//! index from JSON pointers to source lines, so every later error can name a
//! line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

use crate::error::{Diagnostic, Error, JsonPointer, Location, Result};

/// JSON pointer text to the 1-based line and column where that node starts.
type LineIndex = HashMap<String, (usize, usize)>;

/// A spec read from disk: its raw JSON value, the typed document, and where
/// each element sits in the file.
#[derive(Debug, Clone)]
pub struct Spec {
    pub(crate) path: PathBuf,
    pub(crate) value: Value,
    pub(crate) openapi: openapiv3::OpenAPI,
    lines: Lines,
}

/// The line index of a spec. YAML gets it while parsing; for JSON, which
/// serde_json parses far faster than the YAML parser can index it, it is
/// built from the kept text the first time a location is asked for, which
/// is when something is reported.
#[derive(Debug, Clone)]
struct Lines {
    index: OnceLock<LineIndex>,
    /// The JSON text to index on demand.
    text: Option<String>,
}

impl Lines {
    fn indexed(index: LineIndex) -> Self {
        Lines {
            index: OnceLock::from(index),
            text: None,
        }
    }

    fn get(&self, path: &Path) -> &LineIndex {
        self.index.get_or_init(|| {
            self.text
                .as_deref()
                .and_then(|text| parse_marked(path, text, "JSON").ok())
                .map(|(_, lines)| lines)
                .unwrap_or_default()
        })
    }
}

impl Spec {
    /// The file the spec was read from, as given to [`load`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The document as a JSON value, in source order.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The typed OpenAPI document.
    pub fn openapi(&self) -> &openapiv3::OpenAPI {
        &self.openapi
    }

    /// The source location of the element at `pointer`, or of its nearest
    /// ancestor that has one.
    pub fn location(&self, pointer: &JsonPointer) -> Location {
        location_in(&self.path, self.lines.get(&self.path), pointer)
    }

    /// A diagnostic on the element at `pointer`.
    pub(crate) fn diagnostic(
        &self,
        pointer: JsonPointer,
        operation: Option<&str>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            location: self.location(&pointer),
            pointer,
            operation: operation.map(|o| crate::OperationId(o.to_owned())),
            message: message.into(),
        }
    }
}

fn location_in(path: &Path, lines: &LineIndex, pointer: &JsonPointer) -> Location {
    let mut at = Some(pointer.clone());
    while let Some(pointer) = at {
        if let Some(&(line, column)) = lines.get(pointer.as_str()) {
            return Location::new(path, Some(line), Some(column));
        }
        at = pointer.parent();
    }
    Location::new(path, None, None)
}

/// An OpenAPI 3.0 document read as a JSON value, without the typed model:
/// what the differ works on.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, as the caller named it.
    pub path: PathBuf,
    /// The document.
    pub value: Value,
    lines: LineIndex,
}

impl Document {
    /// The 1-based line of the element at `pointer` (or of its nearest
    /// ancestor), when lines were indexed.
    pub fn line(&self, pointer: &JsonPointer) -> Option<usize> {
        location_in(&self.path, &self.lines, pointer).line
    }
}

/// Parses `text` as an OpenAPI 3.0 document named `path` (YAML, or JSON when
/// the name ends in `.json`) and checks its version. YAML always gets a line
/// index; JSON only when `index_lines` is set, since indexing a large JSON
/// file costs more than parsing it.
pub fn load_document(path: &Path, text: &str, index_lines: bool) -> Result<Document> {
    let is_json = path.extension().is_some_and(|ext| ext == "json");
    let (value, lines) = if is_json {
        // The JSON value is serde_json's; the YAML parser only indexes lines,
        // and where it cannot read the text (it rejects some escapes JSON
        // allows, such as surrogate pairs) errors simply carry no line.
        let value = serde_json::from_str::<Value>(text).map_err(|err| Error::Syntax {
            location: Location::new(path, Some(err.line()), Some(err.column())),
            format: "JSON",
            message: strip_position(&err.to_string()),
        })?;
        let lines = if index_lines {
            parse_marked(path, text, "JSON")
                .map(|(_, lines)| lines)
                .unwrap_or_default()
        } else {
            LineIndex::default()
        };
        (value, lines)
    } else {
        parse_marked(path, text, "YAML")?
    };
    check_version(path, &value, &lines)?;
    Ok(Document {
        path: path.to_owned(),
        value,
        lines,
    })
}

/// Reads and parses the OpenAPI document at `path` (YAML, or JSON when the
/// file name ends in `.json`).
pub fn load(path: &Path) -> Result<Spec> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        action: "cannot read spec",
        source,
    })?;
    load_str(path, &text)
}

/// Parses `text` as the OpenAPI document named `path`; `path` is only used
/// to choose the format and in error messages.
pub fn load_str(path: &Path, text: &str) -> Result<Spec> {
    let is_json = path.extension().is_some_and(|ext| ext == "json");
    let (value, lines) = if is_json {
        match load_document(path, text, false) {
            Ok(document) => (
                document.value,
                Lines {
                    index: OnceLock::new(),
                    text: Some(text.to_owned()),
                },
            ),
            // The error is reported again, now with its line.
            Err(_) => {
                let Document { value, lines, .. } = load_document(path, text, true)?;
                (value, Lines::indexed(lines))
            }
        }
    } else {
        let Document { value, lines, .. } = load_document(path, text, true)?;
        (value, Lines::indexed(lines))
    };

    let openapi =
        serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value).map_err(|err| {
            let mut pointer = JsonPointer::root();
            for segment in err.path().iter() {
                use serde_path_to_error::Segment;
                pointer = match segment {
                    Segment::Seq { index } => pointer.join(index),
                    Segment::Map { key } => pointer.join(key),
                    Segment::Enum { .. } | Segment::Unknown => pointer,
                };
            }
            Error::Structure(Box::new(Diagnostic {
                location: location_in(path, lines.get(path), &pointer),
                pointer,
                operation: None,
                message: format!("not a valid OpenAPI 3.0 document: {}", err.inner()),
            }))
        })?;

    Ok(Spec {
        path: path.to_owned(),
        value,
        openapi,
        lines,
    })
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn check_version(path: &Path, value: &Value, lines: &LineIndex) -> Result<()> {
    let pointer = JsonPointer::root().join("openapi");
    let location = location_in(path, lines, &pointer);
    let found = match value.get("openapi") {
        Some(Value::String(version)) if version.trim().starts_with("3.0.") => return Ok(()),
        Some(Value::String(version)) => version.clone(),
        Some(other) => other.to_string(),
        None => match value.get("swagger") {
            Some(version) => format!("swagger {}", version.as_str().unwrap_or("?")),
            None => "(no `openapi` field)".to_owned(),
        },
    };
    Err(Error::UnsupportedVersion { location, found })
}

/// Builds a JSON value from YAML events, recording the line and column of
/// every node under its JSON pointer.
fn parse_marked(path: &Path, text: &str, format: &'static str) -> Result<(Value, LineIndex)> {
    let mut builder = Builder {
        text,
        ..Builder::default()
    };
    let mut parser = Parser::new_from_str(text);
    let scan = parser.load(&mut builder, false);
    let syntax = |line: usize, column: usize, message: String| Error::Syntax {
        location: Location::new(path, Some(line), Some(column)),
        format,
        message,
    };
    if let Err(err) = scan {
        let mark = err.marker();
        return Err(syntax(mark.line(), mark.col() + 1, err.info().to_owned()));
    }
    if let Some((line, column, message)) = builder.error {
        return Err(syntax(line, column, message));
    }
    match builder.root {
        Some(value @ Value::Object(_)) => Ok((value, builder.lines)),
        Some(_) => Err(syntax(1, 1, "the document is not a mapping".to_owned())),
        None => Err(syntax(1, 1, "the document is empty".to_owned())),
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        pointer: JsonPointer,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        pointer: JsonPointer,
        anchor: usize,
        /// The key waiting for its value, with where the key was written.
        key: Option<(String, Marker)>,
        /// The mapping's own position is still to be recorded: the parser
        /// marks a mapping that is a list item or the root at its first
        /// colon, so its first key's position is used instead.
        unrecorded: bool,
    },
}

#[derive(Default)]
struct Builder<'t> {
    /// The source text, to tell flow mappings (`{`) from block ones.
    text: &'t str,
    stack: Vec<Frame>,
    root: Option<Value>,
    anchors: HashMap<usize, Value>,
    lines: LineIndex,
    /// The first semantic error (line, column, message); parsing goes on but
    /// its result is discarded.
    error: Option<(usize, usize, String)>,
}

impl Builder<'_> {
    fn fail(&mut self, mark: Marker, message: String) {
        if self.error.is_none() {
            self.error = Some((mark.line(), mark.col() + 1, message));
        }
    }

    /// Where the next node goes: its pointer and the marker to record for it.
    /// Returns `None` when the next node is a mapping key.
    fn next_slot(&mut self, mark: Marker) -> Option<(JsonPointer, Marker)> {
        match self.stack.last() {
            None => Some((JsonPointer::root(), mark)),
            Some(Frame::Seq { items, pointer, .. }) => Some((pointer.join(items.len()), mark)),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map {
                key: Some((key, key_mark)),
                pointer,
                ..
            }) => Some((pointer.join(key), *key_mark)),
        }
    }

    fn record(&mut self, pointer: &JsonPointer, mark: Marker) {
        self.lines
            .entry(pointer.as_str().to_owned())
            .or_insert((mark.line(), mark.col() + 1));
    }

    /// Attaches a finished node to its parent.
    fn attach(&mut self, value: Value, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { map, key, .. }) => {
                if let Some((key, _)) = key.take() {
                    map.insert(key, value);
                }
            }
        }
    }

    fn scalar_value(
        &mut self,
        text: String,
        style: TScalarStyle,
        tag: Option<&str>,
        mark: Marker,
    ) -> Value {
        if style != TScalarStyle::Plain || tag == Some("str") {
            return Value::String(text);
        }
        match Yaml::from_str(&text) {
            Yaml::Null => Value::Null,
            Yaml::Boolean(b) => Value::Bool(b),
            Yaml::Integer(i) => Value::Number(i.into()),
            Yaml::Real(real) => match real.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(number) => Value::Number(number),
                None => {
                    self.fail(mark, format!("`{real}` is not a finite number"));
                    Value::Null
                }
            },
            _ => Value::String(text),
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.as_ref().map(|t| t.suffix.as_str()).map(str::to_owned);
                match self.next_slot(mark) {
                    None => {
                        // A mapping key: JSON keys are strings whatever YAML
                        // would resolve them to (`200:` is the key "200").
                        let duplicate = matches!(
                            self.stack.last(),
                            Some(Frame::Map { map, .. }) if map.contains_key(&text)
                        );
                        if duplicate {
                            self.fail(mark, format!("duplicate key `{text}`"));
                        }
                        if text == "<<" && style == TScalarStyle::Plain {
                            self.fail(
                                mark,
                                "YAML merge keys (`<<`) are not supported; write the keys out"
                                    .to_owned(),
                            );
                        }
                        let pending = match self.stack.last_mut() {
                            Some(Frame::Map {
                                pointer,
                                unrecorded: unrecorded @ true,
                                ..
                            }) => {
                                *unrecorded = false;
                                Some(pointer.clone())
                            }
                            _ => None,
                        };
                        if let Some(pointer) = pending {
                            self.record(&pointer, mark);
                        }
                        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                            *key = Some((text, mark));
                        }
                    }
                    Some((pointer, at)) => {
                        self.record(&pointer, at);
                        let value = self.scalar_value(text, style, tag.as_deref(), mark);
                        self.attach(value, anchor);
                    }
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let is_seq = matches!(event, Event::SequenceStart(..));
                let Some((pointer, at)) = self.next_slot(mark) else {
                    self.fail(mark, "a mapping key must be a plain string".to_owned());
                    // Keep the stack balanced so that parsing can finish.
                    self.stack.push(Frame::Seq {
                        items: Vec::new(),
                        pointer: JsonPointer::root().join("!key"),
                        anchor: 0,
                    });
                    return;
                };
                let under_key = matches!(self.stack.last(), Some(Frame::Map { .. }));
                let flow = self.text.as_bytes().get(mark.index()) == Some(&b'{');
                let unrecorded = !is_seq && !under_key && !flow;
                if !unrecorded {
                    self.record(&pointer, at);
                }
                self.stack.push(if is_seq {
                    Frame::Seq {
                        items: Vec::new(),
                        pointer,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        map: Map::new(),
                        pointer,
                        anchor,
                        key: None,
                        unrecorded,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Seq {
                        items,
                        anchor,
                        pointer,
                    }) => {
                        if pointer.as_str() == "/!key" {
                            // The placeholder for a rejected complex key.
                            self.attach_rejected_key(mark);
                            return;
                        }
                        (Value::Array(items), anchor)
                    }
                    Some(Frame::Map { map, anchor, .. }) => (Value::Object(map), anchor),
                    None => return,
                };
                self.attach(value, anchor);
            }
            Event::Alias(anchor) => {
                let value = self.anchors.get(&anchor).cloned();
                match (self.next_slot(mark), value) {
                    (Some((pointer, at)), Some(value)) => {
                        self.record(&pointer, at);
                        self.attach(value, 0);
                    }
                    (None, _) => self.fail(mark, "an alias cannot be a mapping key".to_owned()),
                    (_, None) => self.fail(mark, "alias to an unknown anchor".to_owned()),
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

impl Builder<'_> {
    /// A complex key was rejected; give the mapping a dummy key so that its
    /// value has somewhere to go.
    fn attach_rejected_key(&mut self, mark: Marker) {
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some(("!key".to_owned(), mark));
        }
    }
}
