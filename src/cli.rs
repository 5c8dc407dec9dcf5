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
    /// Check the site without writing it: what the build checks, plus links,
    /// images and accessibility.
    Check(CheckArgs),
    /// Preview the site: build, serve, and rebuild and reload on every save.
    Serve(ServeArgs),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to serve on (the next free one is taken if it is in use).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Anything but 127.0.0.1 or ::1 shows the
    /// preview to other machines.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include drafts and future-dated stories (the default in preview).
    #[arg(long, overrides_with = "no_drafts")]
    pub drafts: bool,
    /// Leave drafts and future-dated stories out, as the published site does.
    #[arg(long)]
    pub no_drafts: bool,
    /// Open the preview in a browser.
    #[arg(long)]
    pub open: bool,
    /// Let the editor at /admin/ save files when --bind shows the preview
    /// to other machines (off: anyone who can reach it could change them).
    #[arg(long)]
    pub cms_on_network: bool,
}

impl ServeArgs {
    pub fn run(self) -> ExitCode {
        let options = brum::serve::ServeOptions {
            root: self.root,
            port: self.port,
            bind: self.bind,
            drafts: !self.no_drafts,
            open: self.open,
            cms_on_network: self.cms_on_network,
        };
        match brum::serve::run(options, print_report) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        }
    }
}

/// One line per event; a failed build prints its whole message.
fn print_report(report: brum::serve::Report) {
    use brum::serve::Report;
    match report {
        Report::PortTaken { wanted, got } => {
            println!("Port {wanted} is in use; serving on port {got} instead.")
        }
        Report::Exposed { addr } => {
            println!(
                "Warning: listening on {addr}, so other machines on the network can see this preview."
            )
        }
        Report::Listening { url } => println!("Serving the preview at {url} (Ctrl-C to stop)"),
        Report::Editor { url } => println!("Writing in the browser: {url}"),
        Report::Built {
            pages,
            ms,
            warnings,
        } => {
            println!("Built {pages} pages in {ms} ms");
            eprint!("{warnings}");
        }
        Report::Rebuilt {
            what,
            outcome,
            warnings,
        } => {
            let removed = if outcome.removed > 0 {
                format!(", {} removed", outcome.removed)
            } else {
                String::new()
            };
            println!(
                "{what} changed: {} page{} re-rendered{removed} in {} ms",
                outcome.rendered,
                if outcome.rendered == 1 { "" } else { "s" },
                outcome.elapsed.as_millis()
            );
            eprint!("{warnings}");
        }
        Report::Failed { what, message } => {
            eprintln!("{what} changed: the build failed; still serving the last good site");
            eprintln!("{message}");
        }
        Report::Indexed { pages, ms } => {
            println!("Search index updated: {pages} pages in {ms} ms")
        }
        Report::IndexFailed(why) => eprintln!("The search index could not be rebuilt: {why}"),
        Report::WatchFailed(why) => eprintln!("Watching for changes failed: {why}"),
        Report::Stopped => println!("Stopped."),
    }
}

/// The flags that say which site to load and how it is published: the
/// same for `build` and `check`.
#[derive(Args, Debug)]
pub struct SiteArgs {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include drafts and future-dated stories.
    #[arg(long)]
    pub drafts: bool,
    /// Build for another address, e.g. a preview host or https://example.org/partners/.
    #[arg(long)]
    pub base_url: Option<String>,
}

impl SiteArgs {
    fn options(&self) -> brum::Options {
        let mut options = brum::Options::new(&self.root);
        options.drafts = self.drafts;
        options.base_url = self.base_url.clone();
        options
    }
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: [build] output_dir in site.toml, under the root).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also say where the time went.
    #[arg(long)]
    pub timings: bool,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let root = self.site.root.clone();
        let options = brum::BuildOptions {
            site: self.site.options(),
            output: self.output,
        };
        match brum::build(&options) {
            Ok(report) => {
                if !report.warnings.is_empty() {
                    let mut reporter = brum::report::Reporter::new(&root, styled());
                    eprint!("{}", reporter.render_all(&report.warnings));
                }
                if self.timings {
                    for (phase, took) in &report.phases {
                        println!("{:>8} ms  {phase}", took.as_millis());
                    }
                }
                println!(
                    "Built {} pages ({} files) into {} in {} ms",
                    report.pages,
                    report.files,
                    report.output.display(),
                    report.elapsed.as_millis()
                );
                let i = report.images;
                if self.timings && i.made + i.cached > 0 {
                    println!(
                        "Images: {} processed (from {} decoded), {} cached",
                        i.made, i.decoded, i.cached
                    );
                }
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
        other => eprintln!("error: {other}{outcome}"),
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
    /// Write a translation into this language (a code from site.toml's
    /// [languages]); the title is the translated title. Needs --from.
    #[arg(long, requires = "from", value_name = "CODE")]
    pub lang: Option<String>,
    /// The original to translate: its file name without .md
    /// (canal-walks for content/stories/canal-walks.md). Needs --lang.
    #[arg(long, requires = "lang", value_name = "ORIGINAL", conflicts_with_all = ["slug", "bundle"])]
    pub from: Option<String>,
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
            translate: self.lang.zip(self.from),
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

/// How `brum check` prints what it finds.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people: each problem with its source line, like rustc.
    Human,
    /// For CI: one JSON object per line on stdout.
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The site, as `build` takes it: with --drafts, checks the site as
    /// `build --drafts` makes it.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also check that links to other sites still answer (uses the network;
    /// answers are kept in .brum-cache/ for a while).
    #[arg(long)]
    pub external: bool,
    /// Fail when there are warnings, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also warn about each page that has no translation into one of the
    /// site's other languages.
    #[arg(long)]
    pub translations: bool,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

impl CheckArgs {
    pub fn run(self) -> ExitCode {
        let root = &self.site.root;
        let options = brum::check::CheckOptions {
            site: self.site.options(),
            external: self.external,
            translations: self.translations,
        };
        let report = match brum::check::check(&options) {
            Ok(report) => report,
            Err(e) => {
                print_failure(root, &e, "");
                return ExitCode::FAILURE;
            }
        };
        let diagnostics = &report.diagnostics;
        match self.format {
            Format::Human => {
                let mut reporter = brum::report::Reporter::new(root, styled());
                eprint!("{}", reporter.render_all(diagnostics));
            }
            Format::Json => {
                for d in diagnostics {
                    println!("{}", brum::report::json_line(d));
                }
            }
        }
        if !report.awaiting_review.is_empty() {
            eprintln!(
                "note: {} file{} marked needs_review = true, awaiting review by someone who speaks the language:",
                report.awaiting_review.len(),
                if report.awaiting_review.len() == 1 {
                    " is"
                } else {
                    "s are"
                }
            );
            for path in &report.awaiting_review {
                eprintln!("  {}", path.display());
            }
        }
        let counts = brum::report::Counts::of(diagnostics);
        if !report.links_checked && !diagnostics.is_empty() {
            eprintln!(
                "note: links and images were not checked, because the site could not be loaded; fix the errors and run brum check again"
            );
        }
        let failed = counts.errors > 0 || (self.deny_warnings && counts.warnings > 0);
        if counts.errors > 0 {
            eprintln!("error: {} found", counts.describe());
        } else if counts.warnings > 0 && self.deny_warnings {
            eprintln!(
                "error: {} found, and --deny-warnings makes warnings fail the check",
                counts.describe()
            );
        } else if counts.warnings > 0 {
            eprintln!("warning: {} found", counts.describe());
        } else {
            let mut line = format!(
                "Checked {} pages made from {} content files",
                report.pages, report.files
            );
            if self.external {
                let n = report.external;
                line.push_str(&format!(
                    " and {n} link{} to other sites",
                    if n == 1 { "" } else { "s" }
                ));
            }
            line.push_str(": no problems found");
            match self.format {
                Format::Human => println!("{line}"),
                Format::Json => eprintln!("{line}"),
            }
        }
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => args.run(),
        Command::New(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Serve(args) => args.run(),
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
