//! Token printing with normalised whitespace, so that equal token streams
//! print equally whatever their source layout.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

pub(crate) fn tokens(t: &impl ToTokens) -> String {
    normalize(t.to_token_stream())
}

#[derive(Debug, Clone, PartialEq)]
enum Flat {
    /// An identifier, literal or lifetime.
    Word {
        text: String,
        keyword: bool,
    },
    /// An operator: one punctuation character, or several joined.
    Op(String),
    Open(char),
    Close(char),
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "type", "unsafe", "use", "where", "while", "yield",
];

fn flatten(stream: TokenStream, out: &mut Vec<Flat>) {
    let mut iter = stream.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Brace => ('{', '}'),
                    Delimiter::Bracket => ('[', ']'),
                    Delimiter::None => {
                        flatten(group.stream(), out);
                        continue;
                    }
                };
                out.push(Flat::Open(open));
                flatten(group.stream(), out);
                out.push(Flat::Close(close));
            }
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let keyword = KEYWORDS.contains(&text.as_str());
                out.push(Flat::Word { text, keyword });
            }
            TokenTree::Literal(lit) => out.push(Flat::Word {
                text: lit.to_string(),
                keyword: false,
            }),
            TokenTree::Punct(punct) => {
                if punct.as_char() == '\'' && punct.spacing() == Spacing::Joint {
                    if let Some(TokenTree::Ident(_)) = iter.peek() {
                        if let Some(TokenTree::Ident(ident)) = iter.next() {
                            out.push(Flat::Word {
                                text: format!("'{ident}"),
                                keyword: false,
                            });
                        }
                        continue;
                    }
                }
                let mut op = punct.as_char().to_string();
                let mut spacing = punct.spacing();
                while spacing == Spacing::Joint {
                    match iter.peek() {
                        Some(TokenTree::Punct(next)) if next.as_char() != '\'' => {
                            op.push(next.as_char());
                            spacing = next.spacing();
                            iter.next();
                        }
                        _ => break,
                    }
                }
                out.push(Flat::Op(op));
            }
        }
    }
}

fn spaced(prev: &Flat, next: &Flat) -> bool {
    const BINARY: &[&str] = &[
        "=", "->", "=>", "+", "==", "!=", "<=", ">=", "&&", "||", "|", "+=", "-=", "*=", "/=",
        "%=", "^=", "&=", "|=", "<<=", ">>=",
    ];
    use Flat::{Close, Op, Open, Word};
    match (prev, next) {
        (_, Op(op)) if op == "," || op == ";" => false,
        (Open('{'), Close('}')) => false,
        (_, Close('}')) | (Open('{'), _) => true,
        (_, Close(_)) | (Open(_), _) => false,
        (Op(op), _) if op == "," || op == ";" => true,
        (Op(op), _) | (_, Op(op)) if BINARY.contains(&op.as_str()) => true,
        (Word { keyword, .. }, Op(op)) if op == "::" => *keyword,
        (Op(op), _) | (_, Op(op)) if op == "::" => false,
        (_, Op(op)) if op == ":" => false,
        (Op(op), _) if op == ":" => true,
        (_, Op(op)) if op == "<" || op == ">" => false,
        (Op(op), _) if op == "<" => false,
        (Op(op), Word { .. }) if op == ">" => true,
        (Op(op), Open('{')) if op == ">" => true,
        (Op(_), _) => false,
        (Word { .. } | Close(_), Op(op)) if op == "&" || op == "*" || op == "-" => true,
        (_, Op(_)) => false,
        (Word { keyword, .. }, Open(c)) if *c == '(' || *c == '[' => *keyword,
        (_, Open('{')) => true,
        (_, Open(_)) => false,
        (Word { .. } | Close(_), Word { .. }) => true,
    }
}

/// Prints tokens with single spaces where Rust style puts them, so that
/// equal token streams print equally whatever their source layout.
fn normalize(stream: TokenStream) -> String {
    let mut flat = Vec::new();
    flatten(stream, &mut flat);
    let mut out = String::new();
    let mut prev: Option<&Flat> = None;
    for (index, token) in flat.iter().enumerate() {
        // A trailing comma depends on line breaks the formatter chose.
        let trailing_comma = matches!(token, Flat::Op(op) if op == ",")
            && match flat.get(index + 1) {
                None | Some(Flat::Close(_)) => true,
                Some(Flat::Op(op)) => op == ">",
                Some(_) => false,
            };
        if trailing_comma {
            continue;
        }
        if prev.is_some_and(|p| spaced(p, token)) {
            out.push(' ');
        }
        match token {
            Flat::Word { text, .. } | Flat::Op(text) => out.push_str(text),
            Flat::Open(c) | Flat::Close(c) => out.push(*c),
        }
        prev = Some(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use syn::Type;

    use super::*;

    fn print(source: &str) -> String {
        let ty: Type = syn::parse_str(source).expect("type");
        tokens(&ty)
    }

    #[test]
    fn prints_types_compactly() {
        assert_eq!(
            print(":: std :: option :: Option < :: std :: vec :: Vec < String > >"),
            "::std::option::Option<::std::vec::Vec<String>>"
        );
        assert_eq!(print("& 'a mut [u8]"), "&'a mut [u8]");
        assert_eq!(print("(i32, String)"), "(i32, String)");
    }

    #[test]
    fn prints_signatures_compactly() {
        let f: syn::ItemFn = syn::parse_str(
            "pub fn page_index<V>(mut self, value: V) -> Self where V: std::convert::TryInto<i32>, { self }",
        )
        .expect("fn");
        assert_eq!(
            tokens(&f.sig),
            "fn page_index<V>(mut self, value: V) -> Self where V: std::convert::TryInto<i32>"
        );
    }
}
