//! From a page's blocks to its facts. The two vendors lay their pages out
//! differently (AvePoint: a permission table, a method/endpoint table,
//! parameter, body and response tables with sub-tables and samples;
//! Partner Center: "Applies to", prerequisites, a request-syntax table,
//! URI parameters, request and response examples with headers, resource
//! pages), but both are sections of headings, tables, lists and code, so
//! one walker serves both and the section names decide what a block means.

use crate::facts::{
    Code, Field, Header, Kind, Listed, OperationFacts, PageFacts, Problem, Resource, Sample,
    Status, Vendor,
};
use crate::page::{self, clean, Block, Form, Row};
use crate::repair;

/// Reads the facts of a page.
pub fn extract(text: &str, form: Form, vendor: Vendor) -> PageFacts {
    let blocks = page::blocks(text, form);
    let mut walker = Walker {
        facts: PageFacts::default(),
        section: String::new(),
        section_line: 0,
        pending_scopes: Vec::new(),
        resource: None,
        last_target: None,
        part: None,
        vendor,
    };
    for (i, block) in blocks.iter().enumerate() {
        let caption = match i.checked_sub(1).map(|p| &blocks[p]) {
            Some(Block::Text { text, .. }) if text.trim_end().ends_with(':') => Some(text.as_str()),
            _ => None,
        };
        let next = blocks.get(i + 1);
        walker.block(block, caption, next);
    }
    walker.finish()
}

struct Walker {
    facts: PageFacts,
    /// The current section's heading, lowercased and without markup.
    section: String,
    section_line: usize,
    /// Permission rows (path, scopes) waiting for their operation.
    pending_scopes: Vec<(String, Vec<Listed>)>,
    /// The resource heading the next field table belongs to.
    resource: Option<(String, usize)>,
    /// Where the last field table of this section went, for sub-tables.
    last_target: Option<Target>,
    /// The request or response part of the page the last heading naming
    /// one opened ("REST response"), for field tables under headings that
    /// name neither ("Properties").
    part: Option<Target>,
    vendor: Vendor,
}

impl Walker {
    fn block(&mut self, block: &Block, caption: Option<&str>, next: Option<&Block>) {
        match block {
            Block::Heading { line, text } => self.heading(*line, text),
            Block::Table { line, header, rows } => self.table(*line, header, rows, caption),
            Block::List { items } => self.list(items),
            Block::Code { lines } => self.code(lines),
            Block::Text { line, text } => self.text(*line, text, next),
        }
    }

    fn heading(&mut self, line: usize, text: &str) {
        let lower = text.to_ascii_lowercase();
        if self.facts.title.is_none() && lower != "table of contents" {
            self.facts.title = Some(text.to_string());
        }
        self.section = lower.trim_end_matches(':').trim().to_string();
        self.section_line = line;
        self.resource = Some((text.to_string(), line));
        self.last_target = None;
        if lower.contains("response") {
            self.part = Some(Target::Response);
        } else if lower.contains("request") {
            self.part = Some(Target::Request);
        }
    }

    fn in_section(&self, words: &[&str]) -> bool {
        words.iter().any(|w| self.section.contains(w))
    }

    fn is_sample_section(&self) -> bool {
        self.in_section(&["sample", "example"])
    }

    fn table(&mut self, line: usize, header: &[String], rows: &[Row], caption: Option<&str>) {
        let col = |names: &[&str]| {
            header.iter().position(|h| {
                names
                    .iter()
                    .any(|n| h.trim_end_matches('?').eq_ignore_ascii_case(n))
            })
        };
        let first = header
            .first()
            .map(|h| h.to_ascii_lowercase())
            .unwrap_or_default();
        // Method / endpoint tables define operations.
        if first == "method" {
            if let Some(path_col) = col(&["Endpoint", "Request URI", "URI"]) {
                for row in rows {
                    self.operation_row(row, path_col);
                }
                return;
            }
        }
        // Permission tables: API path → scopes.
        if first == "api" {
            // `Permissin` is how one page spells it.
            if let Some(p) = col(&["Permission", "Permissions", "Permissin"]) {
                for row in rows {
                    let path = normalise_path(&clean(cell(row, 0)));
                    let scopes = scopes(cell(row, p), row.line);
                    self.pending_scopes.push((path, scopes));
                }
                return;
            }
        }
        if first == "code" && col(&["Description"]).is_some() {
            for row in rows {
                let code = clean(cell(row, 0));
                if code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()) {
                    self.facts.status_codes.push(Listed {
                        value: code,
                        line: row.line,
                    });
                }
            }
            return;
        }
        if first == "header" {
            if self.in_section(&["request"]) && self.facts.operations.is_empty() {
                for row in rows {
                    let name = clean(cell(row, 0)).trim_end_matches(':').trim().to_string();
                    let description = clean(cell(row, 1)).to_ascii_lowercase();
                    let required = if description.starts_with("required") {
                        Some(true)
                    } else if description.starts_with("optional") {
                        Some(false)
                    } else {
                        None
                    };
                    self.facts.headers.push(Header {
                        name,
                        required,
                        line: row.line,
                    });
                }
            } else if let Some(op) = self.facts.operations.last_mut() {
                for row in rows {
                    let name = clean(cell(row, 0)).trim_end_matches(':').trim().to_string();
                    op.request_headers.push(Listed {
                        value: name,
                        line: row.line,
                    });
                }
            }
            return;
        }
        if first == "method" || first == "value" && col(&["Position"]).is_some() {
            // A list of HTTP methods, or an enum's value/position table on a
            // resource page: neither is a field table.
            return;
        }
        if first.contains("status") {
            // Status and error-code tables: the first column is the status.
            for row in rows {
                let code = clean(cell(row, 0));
                let Ok(status) = code.parse::<u16>() else {
                    continue;
                };
                match self.facts.operations.last_mut() {
                    Some(op) if !op.statuses.iter().any(|s| s.code == status) => {
                        op.statuses.push(Status {
                            code: status,
                            line: row.line,
                        })
                    }
                    Some(_) => {}
                    None => self.facts.status_codes.push(Listed {
                        value: code,
                        line: row.line,
                    }),
                }
            }
            return;
        }
        let Some(name_col) = col(&[
            "Parameter",
            "Name",
            "Field",
            "Response",
            "Property",
            "Key",
            "Element",
            "Elements",
        ]) else {
            self.problem(line, "a table with columns this reader does not know");
            return;
        };
        let type_col = col(&["Type"]);
        let required_col = col(&["Required"]);
        let description_col = col(&["Description", "Value"]);
        let fields: Vec<Field> = rows
            .iter()
            .filter(|row| !clean(cell(row, name_col)).is_empty())
            .map(|row| field(row, name_col, type_col, required_col, description_col))
            .collect();
        if type_col.is_none() {
            // A key/value table (such as a filter's keys): names only.
            if self.facts.operations.is_empty() {
                return;
            }
        }
        let is_resource_page = self.facts.operations.is_empty();
        if is_resource_page {
            if let Some((name, heading_line)) = self.resource.take() {
                self.facts.resources.push(Resource {
                    anchor: anchor(&name),
                    name,
                    fields,
                    line: heading_line,
                });
            }
            return;
        }
        let section = self.section.clone();
        let vendor = self.vendor;
        let Some(op) = self.facts.operations.last_mut() else {
            if !fields.is_empty() {
                self.problem(line, "a field table before any operation");
            }
            return;
        };
        let target = if section.contains("response") {
            Target::Response
        } else if section.contains("body") {
            Target::Request
        } else if section.contains("parameter")
            || vendor == Vendor::PartnerCenter && section.contains("uri")
        {
            Target::Parameters
        } else if let Some(last) = self.last_target {
            // A sub-table of the last field table in this section.
            last
        } else if let Some(part) = self.part.filter(|_| vendor == Vendor::PartnerCenter) {
            // A table under its own heading ("Properties") in the part of
            // a Partner Center page that its "REST request" or "REST
            // response" heading opened.
            part
        } else {
            Target::Request
        };
        self.last_target = Some(target);
        let list = match target {
            Target::Response => &mut op.response_fields,
            Target::Request => &mut op.request_fields,
            Target::Parameters => &mut op.parameters,
        };
        match caption {
            Some(caption) if !list.is_empty() && target != Target::Parameters => {
                match parent_of(caption, list) {
                    Some(parent) => {
                        for mut f in fields {
                            f.name = format!("{parent}.{}", f.name);
                            list.push(f);
                        }
                    }
                    None => {
                        let message = format!(
                            "sub-table caption `{}` names no field above it",
                            caption.trim()
                        );
                        self.problem(line, &message);
                    }
                }
            }
            _ => {
                if target == Target::Parameters {
                    let path = op.path.clone();
                    for mut f in fields {
                        f.location = if path_params(&path)
                            .iter()
                            .any(|p| p.eq_ignore_ascii_case(&f.name))
                        {
                            "path".to_string()
                        } else {
                            "query".to_string()
                        };
                        list.push(f);
                    }
                } else {
                    list.extend(fields);
                }
            }
        }
    }

    fn operation_row(&mut self, row: &Row, path_col: usize) {
        let method = clean(cell(row, 0)).to_ascii_uppercase();
        let raw = clean(cell(row, path_col));
        if !matches!(
            method.as_str(),
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD"
        ) {
            self.problem(row.line, &format!("`{method}` is not an HTTP method"));
            return;
        }
        let (path, query) = split_query(&raw);
        let mut op = OperationFacts {
            method,
            path: normalise_path(&path),
            line: row.line,
            ..Default::default()
        };
        for name in query {
            op.parameters.push(Field {
                name,
                location: "query".to_string(),
                line: row.line,
                ..Default::default()
            });
        }
        self.facts.operations.push(op);
    }

    fn list(&mut self, items: &[(usize, String)]) {
        let entries = || {
            items.iter().map(|(line, text)| Listed {
                value: clean(text),
                line: *line,
            })
        };
        if self.section == "applies to" {
            self.facts.applies_to.extend(entries());
        } else if self.section.contains("gdap") {
            self.facts.gdap_roles.extend(entries());
        } else if self.section.contains("prerequisite") {
            for (line, text) in items {
                self.auth(*line, text);
            }
        } else if self.section.contains("request header") {
            if let Some(op) = self.facts.operations.last_mut() {
                for (line, text) in items {
                    for target in page::links(text) {
                        op.see.push(Listed {
                            value: target,
                            line: *line,
                        });
                    }
                }
            }
        } else if self.section == "withheld" {
            self.facts.withheld_without_dap.extend(entries());
        }
    }

    fn text(&mut self, line: usize, text: &str, next: Option<&Block>) {
        let lower = text.to_ascii_lowercase();
        let plain = clean(text);
        if self.section.contains("request header") {
            if let Some(op) = self.facts.operations.last_mut() {
                for target in page::links(text) {
                    op.see.push(Listed {
                        value: target,
                        line,
                    });
                }
            }
        }
        if let Some(rest) = plain
            .strip_prefix("Applies to:")
            .or_else(|| plain.strip_prefix("Applies To:"))
        {
            for cloud in rest.split('|').map(str::trim).filter(|c| !c.is_empty()) {
                self.facts.applies_to.push(Listed {
                    value: cloud.to_string(),
                    line,
                });
            }
            return;
        }
        if lower.contains("deprecat")
            && (lower.contains("this api") || lower.contains("legacy api"))
            && self.facts.deprecated.is_none()
        {
            self.facts.deprecated = Some(line);
        }
        if lower.contains("credentials") || lower.contains("authentication with") {
            self.auth(line, text);
        }
        if lower.contains("gdap role") && matches!(next, Some(Block::List { .. })) {
            self.section = "gdap roles".to_string();
        }
        if lower.contains("dap")
            && (lower.contains("not return") || lower.contains("omit"))
            && matches!(next, Some(Block::List { .. }))
        {
            self.section = "withheld".to_string();
        }
        let section = self.section.clone();
        let Some(op) = self.facts.operations.last_mut() else {
            return;
        };
        if section.contains("request body")
            && plain.trim_end_matches('.').eq_ignore_ascii_case("none")
        {
            op.no_request_body = true;
        }
        if section.contains("request body") && !section.contains("sample") {
            if let Some(name) = resource_name(&plain, false) {
                op.request_resource.get_or_insert(name);
                if let Some(target) = page::links(text).into_iter().find(|t| is_resource_link(t)) {
                    op.request_link.get_or_insert(target);
                }
            }
        }
        if section.contains("response") && !section.contains("sample") {
            if let Some(name) = resource_name(&plain, true) {
                op.response_resource.get_or_insert(name);
                if let Some(target) = page::links(text).into_iter().find(|t| is_resource_link(t)) {
                    op.response_link.get_or_insert(target);
                }
            }
        }
        if section.contains("response") || section.contains("sample") || section.contains("example")
        {
            for code in statuses(&plain) {
                if !op.statuses.iter().any(|s| s.code == code) {
                    op.statuses.push(Status { code, line });
                }
            }
            for target in page::links(text) {
                if target.to_ascii_lowercase().contains("status-code")
                    || target.contains("error-codes")
                {
                    op.see.push(Listed {
                        value: target,
                        line,
                    });
                }
            }
        }
    }

    fn auth(&mut self, line: usize, text: &str) {
        let lower = text.to_ascii_lowercase();
        let mut modes = Vec::new();
        if lower.contains("app+user") || lower.contains("app + user") {
            modes.push("app+user");
        }
        if lower.contains("app-only")
            || lower.contains("app only")
            || lower.contains("standalone app")
            || lower.contains("application-only")
        {
            modes.push("app-only");
        }
        for mode in modes {
            if !self.facts.auth_modes.iter().any(|m| m.value == mode) {
                self.facts.auth_modes.push(Listed {
                    value: mode.to_string(),
                    line,
                });
            }
        }
    }

    fn code(&mut self, lines: &[(usize, String)]) {
        if !self.is_sample_section() {
            return;
        }
        let Some(&(first_line, ref first)) = lines.iter().find(|(_, l)| !l.trim().is_empty())
        else {
            return;
        };
        let first = first.trim();
        let response = self.in_section(&["response"]);
        let mut sample = Sample {
            line: first_line,
            ..Default::default()
        };
        let mut rest: &[(usize, String)] = lines;
        if page::is_request_line(first) || page::is_status_line(first) {
            let mut words = first.split_whitespace();
            let a = words.next().unwrap_or("");
            let b = words.next().unwrap_or("");
            if page::is_status_line(first) {
                sample.status = b.parse().ok();
            } else {
                sample.method = Some(a.to_string());
                sample.url = Some(b.to_string());
            }
            let start = lines
                .iter()
                .position(|(n, _)| *n == first_line)
                .unwrap_or(0)
                + 1;
            let mut k = start;
            while k < lines.len() && page::is_header_line(lines[k].1.trim()) {
                if let Some((name, value)) = lines[k].1.trim().split_once(':') {
                    sample
                        .headers
                        .push((name.trim().to_string(), value.trim().to_string()));
                }
                k += 1;
            }
            rest = &lines[k..];
        } else if first.starts_with("http://") || first.starts_with("https://") {
            sample.url = Some(first.to_string());
            rest = &[];
        }
        let body: Vec<(usize, String)> = rest
            .iter()
            .skip_while(|(_, l)| l.trim().is_empty())
            .cloned()
            .collect();
        if body.first().is_some_and(|(_, l)| {
            let l = l.trim();
            l.starts_with('{') || l.starts_with('[')
        }) {
            match repair::parse(&body) {
                Ok((value, repairs)) => {
                    sample.json = Some(value);
                    sample.repairs = repairs;
                }
                Err(problem) => {
                    self.facts.problems.push(problem);
                    if sample.url.is_none() && sample.status.is_none() {
                        return;
                    }
                }
            }
        } else if sample.url.is_none() && sample.status.is_none() {
            if !body.is_empty() {
                self.problem(
                    first_line,
                    "a sample that is neither a request, a URL nor JSON",
                );
            }
            return;
        }
        let Some(op) = self.pick_operation(&sample) else {
            self.problem(first_line, "a sample before any operation");
            return;
        };
        if let Some(status) = sample.status {
            if !op.statuses.iter().any(|s| s.code == status) {
                op.statuses.push(Status {
                    code: status,
                    line: first_line,
                });
            }
        }
        if response || sample.status.is_some() {
            op.response_samples.push(sample);
        } else {
            for (name, _) in &sample.headers {
                if !op
                    .request_headers
                    .iter()
                    .any(|h| h.value.eq_ignore_ascii_case(name))
                {
                    op.request_headers.push(Listed {
                        value: name.clone(),
                        line: first_line,
                    });
                }
            }
            op.request_samples.push(sample);
        }
    }

    /// The operation a sample belongs to: the one whose path its URL
    /// matches, else the last one.
    fn pick_operation(&mut self, sample: &Sample) -> Option<&mut OperationFacts> {
        let ops = &mut self.facts.operations;
        let by_url = sample.url.as_deref().and_then(|url| {
            let path = url_path(url);
            let method = sample.method.as_deref();
            ops.iter().position(|op| {
                method.is_none_or(|m| m.eq_ignore_ascii_case(&op.method))
                    && template_matches(&op.path, &path)
            })
        });
        match by_url {
            Some(i) => ops.get_mut(i),
            None => ops.last_mut(),
        }
    }

    fn problem(&mut self, line: usize, message: &str) {
        self.facts.problems.push(Problem {
            line,
            message: message.to_string(),
        });
    }

    fn finish(mut self) -> PageFacts {
        let pending = std::mem::take(&mut self.pending_scopes);
        for (path, scopes) in pending {
            let single = self.facts.operations.len() == 1;
            let target = self
                .facts
                .operations
                .iter_mut()
                .filter(|op| single || template_matches(&op.path, &path) || op.path == path)
                .collect::<Vec<_>>();
            let none = target.is_empty();
            for op in target {
                for s in &scopes {
                    if !op.scopes.iter().any(|x| x.value == s.value) {
                        op.scopes.push(s.clone());
                    }
                }
            }
            if none {
                let line = scopes.first().map_or(0, |s| s.line);
                self.problem(
                    line,
                    &format!("a permission for `{path}`, which no operation has"),
                );
            }
        }
        self.facts
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Target {
    Parameters,
    Request,
    Response,
}

fn cell(row: &Row, i: usize) -> &str {
    row.cells.get(i).map(String::as_str).unwrap_or("")
}

fn field(
    row: &Row,
    name_col: usize,
    type_col: Option<usize>,
    required_col: Option<usize>,
    description_col: Option<usize>,
) -> Field {
    let raw_type = type_col.map(|c| cell(row, c)).unwrap_or("");
    let type_name = clean(raw_type);
    let resource = page::links(raw_type).into_iter().next();
    let kind = Kind::of(&type_name).or_else(|| {
        if type_name.to_ascii_lowercase().starts_with("array of") {
            Some(Kind::Array)
        } else if resource.is_some() || !type_name.is_empty() && !type_name.contains(' ') {
            // A linked resource or a named type is an object.
            Some(Kind::Object)
        } else {
            None
        }
    });
    let required =
        required_col.and_then(
            |c| match clean(cell(row, c)).to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" | "required" => Some(true),
                "no" | "n" | "false" | "optional" => Some(false),
                _ => None,
            },
        );
    let description = description_col.map(|c| cell(row, c)).unwrap_or("");
    Field {
        name: clean(&strip_footnotes(cell(row, name_col))),
        location: String::new(),
        type_name,
        kind,
        resource,
        required,
        default: default_of(description),
        codes: codes(description),
        line: row.line,
    }
}

/// The resource a sentence names: "returns a collection of Customer
/// resources" → `Customer`; for a request body, any "… X resource".
fn resource_name(plain: &str, response: bool) -> Option<String> {
    let lower = plain.to_ascii_lowercase();
    let start = if response { lower.find("returns")? } else { 0 };
    let at = lower[start..].find(" resource")? + start;
    let word = plain[..at].split_whitespace().last()?;
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    (!word.is_empty()
        && !matches!(
            word.to_ascii_lowercase().as_str(),
            "a" | "an" | "the" | "of"
        ))
    .then(|| word.to_string())
}

fn is_resource_link(target: &str) -> bool {
    let file = target.split('#').next().unwrap_or("");
    (file.ends_with(".md") || file.is_empty() && target.starts_with('#'))
        && !file.contains("error-codes")
        && !file.contains("headers")
}

/// A cell without footnote marks (`name [1](#footnote1)` → `name`).
fn strip_footnotes(cell: &str) -> String {
    let mut out = String::new();
    let mut rest = cell;
    while let Some(at) = rest.find('[') {
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with("](#") {
            out.push_str(&rest[..at]);
            let end = after.find(')').map_or(after.len(), |e| e + 1);
            rest = &after[end..];
        } else {
            out.push_str(&rest[..=at]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Scopes in a permission cell: one or more, separated by commas, `or`,
/// `<br>` or spaces.
fn scopes(cell: &str, line: usize) -> Vec<Listed> {
    clean(cell)
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "or" && *s != "and")
        .map(|s| Listed {
            value: s.to_string(),
            line,
        })
        .collect()
}

/// Enum codes written `<li>**0** - N/A</li>` (markdown) or `0 - N/A`
/// (rendered, where the list has become plain text).
pub(crate) fn codes(description: &str) -> Vec<Code> {
    let mut out = Vec::new();
    if description.contains("<li>") {
        for item in description.split("<li>").skip(1) {
            let item = item.split("</li>").next().unwrap_or("");
            if let Some(code) = code_item(&clean(item)) {
                out.push(code);
            }
        }
        return out;
    }
    // Rendered: `... 0 - N/A 1 - Working 2 - Failed`.
    let words: Vec<&str> = description.split_whitespace().collect();
    let mut i = 0;
    let mut current: Option<Code> = None;
    while i < words.len() {
        let is_code = words[i].trim_start_matches('-').parse::<i64>().is_ok()
            && words.get(i + 1) == Some(&"-");
        if is_code {
            out.extend(current.take());
            current = Some(Code {
                code: words[i].to_string(),
                label: String::new(),
            });
            i += 2;
            continue;
        }
        if let Some(c) = current.as_mut() {
            if !c.label.is_empty() {
                c.label.push(' ');
            }
            c.label.push_str(words[i]);
        }
        i += 1;
    }
    out.extend(current);
    out
}

fn code_item(item: &str) -> Option<Code> {
    let (code, label) = item.split_once(" - ").or_else(|| item.split_once(" – "))?;
    let code = code.trim();
    if code.is_empty() || code.contains(' ') {
        return None;
    }
    Some(Code {
        code: code.to_string(),
        label: label.trim().to_string(),
    })
}

/// A default the description states ("the default value is 50").
fn default_of(description: &str) -> Option<String> {
    let plain = clean(description);
    let lower = plain.to_ascii_lowercase();
    let at = lower
        .find("default value is")
        .map(|i| i + "default value is".len())
        .or_else(|| lower.find("default is").map(|i| i + "default is".len()))?;
    let word = plain[at..]
        .split_whitespace()
        .next()?
        .trim_end_matches(['.', ',', ';', ')'])
        .trim_matches(['"', '\'', '`']);
    (!word.is_empty()).then(|| word.to_string())
}

/// Status codes a sentence states ("a 200 OK response", "204 No Content").
fn statuses(text: &str) -> Vec<u16> {
    const REASONS: &[&str] = &["ok", "created", "accepted", "no content"];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_ascii_digit());
        if w.len() != 3 || !w.starts_with('2') {
            continue;
        }
        let Ok(code) = w.parse::<u16>() else { continue };
        let after = words[i + 1..]
            .iter()
            .take(2)
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let after = after.to_ascii_lowercase();
        let after = after.trim_matches(|c: char| !c.is_ascii_alphabetic() && c != ' ');
        if REASONS.iter().any(|r| after.starts_with(r)) {
            out.push(code);
        }
    }
    out
}

/// The field a sub-table caption names ("Tenants information:" → `tenants`).
fn parent_of(caption: &str, fields: &[Field]) -> Option<String> {
    named_parent(caption, fields).or_else(|| {
        // A caption that names no field ("Service subscriptions:" under a
        // `products` list) belongs to the one list or object field, if
        // there is exactly one.
        let composite: Vec<&Field> = fields
            .iter()
            .filter(|f| matches!(f.kind, Some(Kind::Array) | Some(Kind::Object)))
            .collect();
        match composite.as_slice() {
            [only] => Some(only.name.clone()),
            _ => None,
        }
    })
}

fn named_parent(caption: &str, fields: &[Field]) -> Option<String> {
    let caption = clean(caption).trim_end_matches(':').to_ascii_lowercase();
    let key: String = caption
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let word: String = caption
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let names = |leaf: &str| {
        key.starts_with(leaf) || leaf == format!("{word}s") || word == format!("{leaf}s")
    };
    // The longest field name the caption starts with, top-level or nested.
    fields
        .iter()
        .filter(|f| {
            let leaf = f
                .name
                .rsplit('.')
                .next()
                .unwrap_or(&f.name)
                .to_ascii_lowercase();
            let leaf: String = leaf.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            !leaf.is_empty() && names(&leaf)
        })
        .max_by_key(|f| f.name.rsplit('.').next().unwrap_or(&f.name).len())
        .map(|f| f.name.clone())
}

fn split_query(raw: &str) -> (String, Vec<String>) {
    let raw = raw.trim();
    let raw = raw.strip_suffix("HTTP/1.1").unwrap_or(raw).trim();
    match raw.split_once('?') {
        Some((path, query)) => {
            let names = query
                .split('&')
                .filter_map(|pair| pair.split('=').next())
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            (path.to_string(), names)
        }
        None => (raw.to_string(), Vec::new()),
    }
}

/// A path as the spec writes it: without base URL placeholder or the
/// origin of a full URL (a page that gives another host), `HTTP/1.1`, or
/// trailing slash, and with a leading slash.
pub(crate) fn normalise_path(raw: &str) -> String {
    let raw = raw.trim().trim_matches('`');
    let raw = raw.strip_suffix("HTTP/1.1").unwrap_or(raw).trim();
    let raw = raw.strip_prefix("{baseURL}").unwrap_or(raw);
    let raw = match raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
    {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => raw,
    };
    let raw = raw.split('?').next().unwrap_or(raw);
    let raw = raw.trim_end_matches('/');
    if raw.starts_with('/') {
        raw.to_string()
    } else {
        format!("/{raw}")
    }
}

/// The `{names}` of a path template.
pub(crate) fn path_params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .map(str::to_string)
        .collect()
}

/// The path of a sample URL (`https://host/a/b?x` → `/a/b`).
pub(crate) fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = match rest.find('/') {
        Some(i) if url.contains("://") => &rest[i..],
        _ => rest,
    };
    normalise_path(path.split(['?', '#']).next().unwrap_or(path))
}

/// Whether a concrete path matches a template, segment by segment; `{x}`
/// matches any non-empty segment, and case is ignored.
pub(crate) fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            t.starts_with('{') && t.ends_with('}') && !p.is_empty() || t.eq_ignore_ascii_case(p)
        })
}

/// A heading's anchor as the vendors' sites make it (`Customer Billing` →
/// `customer-billing`).
fn anchor(heading: &str) -> String {
    heading
        .to_ascii_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_both_forms() {
        let md = codes(
            "The status.<ul><li>**0** - N/A</li><li>**1** - Waiting for Configuration</li></ul>",
        );
        let rendered = codes("The status. 0 - N/A 1 - Waiting for Configuration");
        assert_eq!(md, rendered);
        assert_eq!(md[1].label, "Waiting for Configuration");
    }

    #[test]
    fn defaults_and_statuses() {
        assert_eq!(
            default_of("The page. The default value is 50 and the maximum 100."),
            Some("50".into())
        );
        assert_eq!(default_of("Default is \"en-US\"."), Some("en-US".into()));
        assert_eq!(
            statuses("a 200 OK response, or 204 No Content."),
            [200, 204]
        );
        assert!(statuses("returns 2023 results").is_empty());
    }

    #[test]
    fn paths() {
        assert_eq!(
            normalise_path("{baseURL}/v1/customers/{id}/ HTTP/1.1"),
            "/v1/customers/{id}"
        );
        assert_eq!(normalise_path("partner/x"), "/partner/x");
        assert_eq!(
            normalise_path("`https://admin.example.net/Api/v1/things` "),
            "/Api/v1/things"
        );
        assert_eq!(normalise_path("https://admin.example.net"), "/");
        assert_eq!(
            url_path("https://h.com/partner/customers/00?x=1"),
            "/partner/customers/00"
        );
        assert!(template_matches("/v1/customers/{id}", "/v1/Customers/abc"));
        assert!(!template_matches("/v1/customers/{id}", "/v1/customers"));
    }
}
