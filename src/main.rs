//! The binary: parse the command line, run, print a fatal error once, exit with its code.

use clap::Parser;

fn main() {
    let cli = dossier::cli::Cli::parse();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = match dossier::run(cli, &mut out, &mut err) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            dossier::report::write_error(&mut err, &error);
            error.exit_code()
        }
    };
    std::process::exit(code);
}
