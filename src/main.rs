//! The binary: parse the command line, run, print a fatal error once, exit with its code.

use clap::Parser;

fn main() {
    let cli = dossier::cli::Cli::parse();
    let code = match dossier::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            dossier::report::print_error(&error);
            error.exit_code()
        }
    };
    std::process::exit(code);
}
