//! `dfharden server`: a Language Server over standard input and output.
//!
//! Editors get what `check` and `fix` give on the command line, where the Dockerfile is
//! written: a diagnostic per finding (its rule code, severity and exact range), a code action
//! per fix (unsafe ones say so), one action that applies every fix the settings allow (the
//! rewrite `fix` would print, the structural one included), and the rule's explanation on
//! hover. Settings are found as the CLI finds them, from the document's path, and read again
//! for every analysis, so an edited `dfharden.toml` counts at once.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use dfharden_core::fix::Applicability;
use dfharden_core::render::Location;
use dfharden_core::rules::{rule_by_code, Finding, Severity};
use dfharden_core::syntax::{LineIndex, TextRange};
use dfharden_core::{check, fix, Report, Settings};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;

use crate::args::SharedArgs;
use crate::config::SettingsResolver;
use crate::Outcome;

/// The open documents: their text and version.
#[derive(Default)]
struct Documents(HashMap<lsp::Uri, (String, i32)>);

pub fn run() -> Result<Outcome> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(lsp::TextDocumentSyncKind::FULL)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX, lsp::CodeActionKind::SOURCE_FIX_ALL]),
            ..Default::default()
        })),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        ..Default::default()
    };
    connection.initialize(serde_json::to_value(capabilities)?).context("LSP initialize")?;
    serve(&connection)?;
    drop(connection);
    io_threads.join().context("LSP transport")?;
    Ok(Outcome::Clean)
}

fn serve(connection: &Connection) -> Result<()> {
    let mut documents = Documents::default();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = answer(&documents, request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                if let Some(uri) = documents.update(notification) {
                    publish(connection, &documents, &uri)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

impl Documents {
    /// Applies a document notification; the document to analyse again, if any.
    fn update(&mut self, notification: Notification) -> Option<lsp::Uri> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: lsp::DidOpenTextDocumentParams = serde_json::from_value(notification.params).ok()?;
                let document = params.text_document;
                self.0.insert(document.uri.clone(), (document.text, document.version));
                Some(document.uri)
            }
            "textDocument/didChange" => {
                let params: lsp::DidChangeTextDocumentParams = serde_json::from_value(notification.params).ok()?;
                // Full synchronisation: the last change is the whole text.
                let text = params.content_changes.into_iter().last()?.text;
                let uri = params.text_document.uri;
                self.0.insert(uri.clone(), (text, params.text_document.version));
                Some(uri)
            }
            "textDocument/didClose" => {
                let params: lsp::DidCloseTextDocumentParams = serde_json::from_value(notification.params).ok()?;
                self.0.remove(&params.text_document.uri);
                None
            }
            _ => None,
        }
    }
}

/// The settings for a document, as `dfharden check <its path>` would use them (configuration
/// found upwards from it, the start script read from its directory).
fn settings_for(uri: &lsp::Uri, text: &str) -> Settings {
    let path = file_path(uri);
    let resolver = SettingsResolver::new(&SharedArgs::default(), None);
    let name = path.clone().unwrap_or_else(|| PathBuf::from("Dockerfile"));
    match resolver.for_file(&name) {
        Ok(resolved) => crate::context::with_context(&resolved.settings, text, path.as_deref(), None).into_owned(),
        Err(_) => Settings::default(),
    }
}

/// The local path of a `file:` URI, percent-decoded.
fn file_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

fn publish(connection: &Connection, documents: &Documents, uri: &lsp::Uri) -> Result<()> {
    let Some((text, version)) = documents.0.get(uri) else { return Ok(()) };
    let settings = settings_for(uri, text);
    let report = check(text, &settings);
    let params = lsp::PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: diagnostics(text, &report),
        version: Some(*version),
    };
    let notification = Notification::new("textDocument/publishDiagnostics".into(), params);
    connection.sender.send(Message::Notification(notification))?;
    Ok(())
}

fn diagnostics(text: &str, report: &Report) -> Vec<lsp::Diagnostic> {
    let index = LineIndex::new(text);
    let syntax = report.syntax_errors.iter().map(|error| lsp::Diagnostic {
        range: range(text, &index, error.range),
        severity: Some(if error.severity == dfharden_core::syntax::Severity::Error {
            lsp::DiagnosticSeverity::ERROR
        } else {
            lsp::DiagnosticSeverity::WARNING
        }),
        code: Some(lsp::NumberOrString::String("syntax".into())),
        source: Some("dfharden".into()),
        message: error.message.clone(),
        ..Default::default()
    });
    let findings = report.findings.iter().map(|finding| diagnostic(text, &index, finding));
    syntax.chain(findings).collect()
}

fn diagnostic(text: &str, index: &LineIndex, finding: &Finding) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: range(text, index, finding.range),
        severity: Some(match finding.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(finding.code.into())),
        source: Some("dfharden".into()),
        message: format!("{} ({})", finding.message, finding.name),
        ..Default::default()
    }
}

/// A byte range as an LSP range (0-based lines, UTF-16 columns).
fn range(text: &str, index: &LineIndex, range: TextRange) -> lsp::Range {
    let at = Location::of(text, index, range);
    lsp::Range {
        start: lsp::Position::new(at.line as u32 - 1, at.column_utf16 as u32 - 1),
        end: lsp::Position::new(at.end_line as u32 - 1, at.end_column_utf16 as u32 - 1),
    }
}

/// An LSP position as a byte offset (clamped to the text).
fn offset(text: &str, position: lsp::Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(end) => line_start += end + 1,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (at, c) in text[line_start..].char_indices() {
        if units >= position.character as usize || c == '\n' {
            return line_start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn answer(documents: &Documents, request: Request) -> Response {
    let id = request.id.clone();
    let result = match request.method.as_str() {
        "textDocument/codeAction" => serde_json::from_value(request.params)
            .map(|params| serde_json::to_value(code_actions(documents, params)))
            .map_err(|e| e.to_string()),
        "textDocument/hover" => serde_json::from_value(request.params)
            .map(|params| serde_json::to_value(hover(documents, params)))
            .map_err(|e| e.to_string()),
        _ => return Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("dfharden does not answer {}", request.method)),
    };
    match result {
        Ok(Ok(value)) => Response::new_ok(id, value),
        Ok(Err(e)) => Response::new_err(id, ErrorCode::InternalError as i32, e.to_string()),
        Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
    }
}

fn code_actions(documents: &Documents, params: lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
    let uri = params.text_document.uri;
    let Some((text, _)) = documents.0.get(&uri) else { return Vec::new() };
    let settings = settings_for(&uri, text);
    let report = check(text, &settings);
    let index = LineIndex::new(text);
    let wanted = |kind: &lsp::CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
    };
    let mut actions = Vec::new();
    if wanted(&lsp::CodeActionKind::QUICKFIX) {
        for finding in &report.findings {
            let Some(fix) = finding.fix.as_ref().filter(|f| f.applicability != Applicability::DisplayOnly) else { continue };
            // Offered on the lines the request covers (editors ask for the cursor's line or
            // selection, and a finding's range is often narrower than the line).
            let at = range(text, &index, finding.range);
            if at.end.line < params.range.start.line || params.range.end.line < at.start.line {
                continue;
            }
            let safe = fix.applicability == Applicability::Safe;
            let edits = fix.edits.iter().map(|edit| lsp::TextEdit::new(range(text, &index, edit.range), edit.content.clone())).collect();
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("{}: {}{}", finding.code, fix.title, if safe { "" } else { " (unsafe fix)" }),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(text, &index, finding)]),
                edit: Some(workspace_edit(&uri, edits)),
                is_preferred: Some(safe),
                ..Default::default()
            }));
        }
    }
    if wanted(&lsp::CodeActionKind::SOURCE_FIX_ALL) {
        let outcome = fix(text, &settings);
        if outcome.output != *text {
            let whole = range(text, &index, TextRange::new(0, text.len()));
            let codes: Vec<&str> = {
                let mut codes: Vec<&str> = outcome.applied.iter().map(|a| a.code).collect();
                codes.sort_unstable();
                codes.dedup();
                codes
            };
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("dfharden: fix all ({})", codes.join(", ")),
                kind: Some(lsp::CodeActionKind::SOURCE_FIX_ALL),
                edit: Some(workspace_edit(&uri, vec![lsp::TextEdit::new(whole, outcome.output)])),
                ..Default::default()
            }));
        }
    }
    actions
}

fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }
}

fn hover(documents: &Documents, params: lsp::HoverParams) -> Option<lsp::Hover> {
    let position = params.text_document_position_params;
    let uri = position.text_document.uri;
    let (text, _) = documents.0.get(&uri)?;
    let at = offset(text, position.position);
    let report = check(text, &settings_for(&uri, text));
    let index = LineIndex::new(text);
    let finding = report.findings.iter().find(|f| f.range.start <= at && at <= f.range.end)?;
    let explanation = rule_by_code(finding.code).map(|rule| rule.meta.explanation()).unwrap_or_default();
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: format!("**{}** `{}`: {}\n\n{explanation}", finding.code, finding.name, finding.message),
        }),
        range: Some(range(text, &index, finding.range)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "FROM a\nRUN é𝄞x\n";
        // `x` is after `é` (1 unit) and `𝄞` (2 units): character 7 on line 1.
        assert_eq!(&text[offset(text, lsp::Position::new(1, 7))..], "x\n");
        assert_eq!(offset(text, lsp::Position::new(0, 99)), "FROM a".len(), "clamped to the line");
        assert_eq!(offset(text, lsp::Position::new(9, 0)), text.len(), "clamped to the text");
        let index = LineIndex::new(text);
        let at = text.find('x').unwrap();
        assert_eq!(range(text, &index, TextRange::new(at, at + 1)).start, lsp::Position::new(1, 7));
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: lsp::Uri = "file:///tmp/my%20app/Dockerfile".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/my app/Dockerfile")));
        let untitled: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&untitled), None);
    }
}
