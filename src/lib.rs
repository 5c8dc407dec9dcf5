//! brum: a static site generator for the Birmingham Partners campaign site.
//!
//! Data flows one way: [`config`] → [`content`] (load and validate) → [`site`]
//! (the model and its addresses) → [`images`] (planned beside the model) →
//! [`render`] (views and templates) → [`output`] (written atomically). The
//! [`pipeline`] runs the load for every command: [`build`], [`check`] and
//! [`serve`]. The library never prints; the binary reports. `ARCHITECTURE.md`
//! has the map.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod cache;
pub mod check;
pub mod cms;
pub mod components;
pub mod config;
pub mod content;
pub mod error;
pub mod fs;
pub mod images;
pub mod markdown;
pub mod new;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
pub mod statics;
pub mod theme;
pub mod url;

pub use build::{BuildOptions, BuildReport, build};
pub use error::{Diagnostic, Error, Result, Severity};
pub use pipeline::{Options, build_time};
