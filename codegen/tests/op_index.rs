//! The committed clients pass each operation's position in their `API`
//! table to `partner_api_runtime::send_operation`: every position must be
//! the entry of the operation the call's `OperationInfo` names (a wrong one
//! would still work, through the runtime's search by name, but slower and
//! unnoticed).

use std::path::{Path, PathBuf};

use syn::visit::{self, Visit};

/// What one generated file says: the `OperationMeta` ids of its table in
/// order, and per `send_operation` call the name of the `OperationInfo`
/// before it and the position it passes.
#[derive(Default)]
struct Calls {
    table: Vec<String>,
    current: Option<String>,
    calls: Vec<(Option<String>, usize)>,
}

fn string_field(expr: &syn::ExprStruct, field: &str) -> Option<String> {
    expr.fields.iter().find_map(|f| match (&f.member, &f.expr) {
        (
            syn::Member::Named(name),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }),
        ) if name == field => Some(s.value()),
        _ => None,
    })
}

impl Visit<'_> for Calls {
    fn visit_expr_struct(&mut self, expr: &syn::ExprStruct) {
        match expr
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .as_deref()
        {
            Some("OperationInfo") => self.current = string_field(expr, "operation_id"),
            Some("OperationMeta") => self.table.extend(string_field(expr, "id")),
            _ => {}
        }
        visit::visit_expr_struct(self, expr);
    }

    fn visit_expr_call(&mut self, call: &syn::ExprCall) {
        visit::visit_expr_call(self, call);
        let syn::Expr::Path(func) = &*call.func else {
            return;
        };
        if func
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "send_operation")
        {
            let index = match call.args.last() {
                Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(n),
                    ..
                })) => n.base10_parse().expect("an index"),
                _ => panic!("send_operation's last argument is not an integer literal"),
            };
            self.calls.push((self.current.take(), index));
        }
    }
}

fn generated_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["generated", "tests/generated"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let file = entry.unwrap().path().join("src").join("generated.rs");
            if file.is_file() {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_send_passes_its_own_position_in_the_table() {
    let files = generated_files();
    assert!(files.len() >= 2, "{files:?}");
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut calls = Calls::default();
        calls.visit_file(&file);
        let mut sorted = calls.table.clone();
        sorted.sort();
        assert_eq!(
            calls.table,
            sorted,
            "{}: the table is sorted",
            path.display()
        );
        assert!(
            !calls.calls.is_empty(),
            "{}: no send_operation",
            path.display()
        );
        for (name, index) in &calls.calls {
            let name = name.as_deref().unwrap_or_else(|| {
                panic!(
                    "{}: a send_operation without an OperationInfo before it",
                    path.display()
                )
            });
            assert_eq!(
                calls.table.get(*index).map(String::as_str),
                Some(name),
                "{}: `{name}` passes position {index}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} calls checked");
}
