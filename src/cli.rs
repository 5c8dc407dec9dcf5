//! The command line: one argument struct per command, each with `run`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "brum",
    version,
    about = "A fast static site generator for the Birmingham Partners site"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(BuildArgs),
    /// Start a new story, partner profile, timeline entry or page, as a draft.
    New(NewArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: [build] output_dir in site.toml, under the root).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Include drafts and future-dated stories.
    #[arg(long)]
    pub drafts: bool,
    /// Build for another address, e.g. a preview host or https://example.org/partners/.
    #[arg(long)]
    pub base_url: Option<String>,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let root = self.root.clone();
        let mut options = brum::BuildOptions::new(self.root);
        options.output = self.output;
        options.drafts = self.drafts;
        options.base_url = self.base_url;
        match brum::build(&options) {
            Ok(report) => {
                println!(
                    "Built {} pages ({} files) into {} in {} ms",
                    report.pages,
                    report.files,
                    report.output.display(),
                    report.elapsed.as_millis()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_failure(&root, &e, "; nothing was written");
                ExitCode::FAILURE
            }
        }
    }
}

/// Colours only for a person at a terminal who has not asked for none.
fn styled() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints a failed command's error: every diagnostic the rustc way (the
/// source line read from under `root`), then the count and `outcome`.
fn print_failure(root: &Path, e: &brum::Error, outcome: &str) {
    match e {
        brum::Error::Invalid(diagnostics) => {
            let mut reporter = brum::report::Reporter::new(root, styled());
            eprint!("{}", reporter.render_all(diagnostics));
            let counts = brum::report::Counts::of(diagnostics);
            eprintln!("error: {} found{outcome}", counts.describe());
        }
        other => eprintln!("error: {other}"),
    }
}

/// The kinds of content `brum new` writes.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Kind {
    /// content/stories/
    Story,
    /// content/partners/
    Partner,
    /// content/timeline/
    Timeline,
    /// content/pages/
    Page,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// What to write.
    pub kind: Kind,
    /// Its title (a partner's name), in quotes: "Canal walks at dawn".
    pub title: String,
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to use instead of one made from the title.
    #[arg(long)]
    pub slug: Option<String>,
    /// Write <slug>/index.md: a folder that can hold the item's pictures.
    #[arg(long)]
    pub bundle: bool,
}

impl NewArgs {
    pub fn run(self) -> ExitCode {
        let section = match self.kind {
            Kind::Story => brum::content::Section::Stories,
            Kind::Partner => brum::content::Section::Partners,
            Kind::Timeline => brum::content::Section::Timeline,
            Kind::Page => brum::content::Section::Pages,
        };
        let options = brum::new::NewOptions {
            root: self.root.clone(),
            section,
            title: self.title,
            slug: self.slug,
            bundle: self.bundle,
            today: brum::build_time().date_naive(),
        };
        match brum::new::create(&options) {
            Ok(path) => {
                let shown = path.strip_prefix(".").unwrap_or(&path);
                println!("{}", shown.display());
                eprintln!(
                    "A new draft {}: write it, preview it with `brum serve`, and run `brum check --drafts` before publishing.",
                    section.noun()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                print_failure(&self.root, &e, "");
                ExitCode::FAILURE
            }
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => args.run(),
        Command::New(args) => args.run(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
