use std::process::ExitCode;

// Rendering allocates many small strings and values on every thread; mimalloc
// does that markedly faster than the system allocator (see bench/).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

mod cli;
mod memory;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if !matches!(cli.command, cli::Command::Serve(_)) {
        memory::keep_freed_memory();
        memory::small_pages();
    }
    cli::run(cli)
}
