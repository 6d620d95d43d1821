//! IO: everything that talks to the browser beyond rendering. Components and the root call
//! these; the reducer never does.

pub mod clipboard;
pub mod download;
pub mod page;
pub mod share;
pub mod storage;
