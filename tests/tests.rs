//! brum's integration tests: one binary, a module per feature. Each test
//! copies a fixture site from `tests/fixtures/` into a temp folder, builds it
//! with the real `brum` binary and looks at what a user would get: the pages,
//! the error text, the files on disk.

mod support;

mod architecture;

mod bad_input;
mod base_url;
mod browser;
mod check;
mod cms;
mod components;
mod contents;
mod corpus;
mod data;
mod docs;
mod external;
mod honesty;
mod hostile;
mod images;
mod incremental;
mod languages;
mod markdown;
mod markdown_conformance;
mod new;
mod nothing_lost;
mod output;
mod pages;
mod pictures;
mod portable;
mod publishing;
mod search;
mod serve;
mod sharing;
