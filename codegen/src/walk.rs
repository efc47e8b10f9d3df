//! Walking an OpenAPI document as a JSON value: references, operations and
//! the objects under them, each with its JSON pointer. Shared by the stages
//! that report problems by pointer.

use serde_json::{Map, Value};

use crate::error::JsonPointer;

/// The HTTP methods an OpenAPI path item can hold, in document order.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Resolves a local `$ref` (`#/...`) against the document root.
pub(crate) fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

/// Follows `$ref`s until a non-reference object, returning it with its
/// pointer. Stops (returning `None`) on a dangling or cyclic chain.
pub(crate) fn deref<'a>(
    root: &'a Value,
    value: &'a Value,
    pointer: JsonPointer,
) -> Option<(&'a Value, JsonPointer)> {
    let (mut value, mut pointer) = (value, pointer);
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                value = resolve_ref(root, reference)?;
                pointer = JsonPointer::parse(reference.strip_prefix('#')?)?;
            }
            None => return Some((value, pointer)),
        }
    }
    None
}

/// The entries of the object at `key` of `value`, with their pointers under
/// `pointer`, `$ref`s followed; dangling references are skipped.
pub(crate) fn entries<'a>(
    root: &'a Value,
    value: &'a Value,
    key: &str,
    pointer: &JsonPointer,
) -> Vec<(&'a String, &'a Value, JsonPointer)> {
    let base = pointer.join(key);
    value
        .get(key)
        .and_then(Value::as_object)
        .map(Map::iter)
        .into_iter()
        .flatten()
        .filter_map(|(name, child)| {
            deref(root, child, base.join(name)).map(|(child, ptr)| (name, child, ptr))
        })
        .collect()
}

/// One operation of the document.
pub(crate) struct Operation<'a> {
    /// The path template.
    pub path: &'a str,
    /// The lowercase method.
    pub method: &'static str,
    /// The path item holding the operation.
    pub item: &'a Value,
    /// The operation object.
    pub value: &'a Value,
    /// Where the path item is.
    pub item_ptr: JsonPointer,
    /// Where the operation is.
    pub ptr: JsonPointer,
}

impl<'a> Operation<'a> {
    /// The `operationId`, if there is one.
    /// The `operationId`; a blank one counts as none, so the operation gets
    /// a made-up one like any other without ([`operation_ids`]).
    pub fn id(&self) -> Option<&'a str> {
        self.value
            .get("operationId")
            .and_then(Value::as_str)
            .filter(|id| !id.trim().is_empty())
    }

    /// The `operationId`, or the method and path when there is none.
    pub fn name(&self) -> String {
        self.id()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{} {}", self.method.to_uppercase(), self.path))
    }

    /// The parameters that apply, path-item ones first, `$ref`s followed.
    pub fn parameters(&self, root: &'a Value) -> Vec<(&'a Value, JsonPointer)> {
        [(self.item, &self.item_ptr), (self.value, &self.ptr)]
            .into_iter()
            .flat_map(|(holder, ptr)| {
                let base = ptr.join("parameters");
                holder
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .filter_map(move |(i, param)| deref(root, param, base.join(i)))
            })
            .collect()
    }

    /// The request body, `$ref` followed.
    pub fn request_body(&self, root: &'a Value) -> Option<(&'a Value, JsonPointer)> {
        let body = self.value.get("requestBody")?;
        deref(root, body, self.ptr.join("requestBody"))
    }
}

/// Every operation under `paths`, in document order. Path items given by
/// `$ref` are skipped (validation reports them).
pub(crate) fn operations(root: &Value) -> Vec<Operation<'_>> {
    let paths_ptr = JsonPointer::root().join("paths");
    let mut out = Vec::new();
    for (path, item) in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if item.get("$ref").is_some() {
            continue;
        }
        let item_ptr = paths_ptr.join(path);
        for method in METHODS {
            if let Some(value) = item.get(method) {
                out.push(Operation {
                    path,
                    method,
                    item,
                    value,
                    ptr: item_ptr.join(method),
                    item_ptr: item_ptr.clone(),
                });
            }
        }
    }
    out
}

/// The operation id of every operation under `paths`, in document order:
/// its `operationId`, or for one without, a name made from its method and
/// path (`GET /users/{id}` → `getUsersById`), unique in the document.
/// progenitor names methods after operation ids and needs one for each;
/// this is the one definition of the made-up ones.
pub(crate) fn operation_ids(root: &Value) -> Vec<String> {
    let ops = operations(root);
    let mut taken: std::collections::BTreeSet<String> = ops
        .iter()
        .filter_map(|op| op.id().map(str::to_owned))
        .collect();
    ops.iter()
        .map(|op| match op.id() {
            Some(id) => id.to_owned(),
            None => {
                let base = made_up_id(op.method, op.path);
                let mut id = base.clone();
                let mut n = 2;
                while !taken.insert(id.clone()) {
                    id = format!("{base}{n}");
                    n += 1;
                }
                id
            }
        })
        .collect()
}

/// `get` + the path's segments in UpperCamelCase, a parameter as
/// `By<Name>`; the root path is `Root`.
fn made_up_id(method: &str, path: &str) -> String {
    let camel = |text: &str| {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect::<String>()
    };
    let mut out = method.to_owned();
    let mut any = false;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        any = true;
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                out.push_str("By");
                out.push_str(&camel(name));
            }
            None => out.push_str(&camel(segment)),
        }
    }
    if !any {
        out.push_str("Root");
    }
    out
}
