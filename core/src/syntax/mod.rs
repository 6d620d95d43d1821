//! A lossless Dockerfile parser that reads files the way BuildKit does.
//!
//! [`parse`] never fails: it returns a [`Parse`] holding the tree and a list of positioned
//! [`SyntaxError`]s. Every byte of the input belongs to exactly one piece of the tree, so
//! [`Parse::print`] gives back the input, and every part a rule can point at has a
//! [`TextRange`]. What counts as an instruction, a flag, exec form or a heredoc follows
//! BuildKit's parser (`frontend/dockerfile/parser`), quirks included; the places where we
//! follow current BuildKit rather than older releases are listed in ARCHITECTURE.md.

mod command;
mod compat;
mod decode;
mod directives;
mod dump;
mod json;
pub(crate) use json::object_member_strings;
mod lines;
mod parser;
mod shell_words;
mod text;
mod tree;

pub use decode::{check_limits, decode, DecodeError, DecodeErrorKind, MAX_FILE_BYTES, MAX_LINE_BYTES};
pub use dump::buildkit_dump;
pub use parser::{parse, EMPTY_CONTINUATION_LINE};
pub use text::{LineCol, LineIndex, TextRange};
pub use tree::*;
