//! The command line: one argument struct per command, each with `run`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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
}

impl ServeArgs {
    pub fn run(self) -> ExitCode {
        let options = brum::serve::ServeOptions {
            root: self.root,
            port: self.port,
            bind: self.bind,
            drafts: !self.no_drafts,
            open: self.open,
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
        Report::Built { pages, ms } => println!("Built {pages} pages in {ms} ms"),
        Report::Rebuilt { what, outcome } => {
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
        }
        Report::Failed { what, message } => {
            eprintln!("{what} changed: the build failed; still serving the last good site");
            eprintln!("{message}");
        }
        Report::WatchFailed(why) => eprintln!("Watching for changes failed: {why}"),
        Report::Stopped => println!("Stopped."),
    }
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
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => args.run(),
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
