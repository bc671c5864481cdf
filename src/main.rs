//! The binary: parse the command line, gather the environment, run, print a fatal error once,
//! exit with its code.

use clap::Parser;

fn main() {
    let cli = dossier::cli::Cli::parse();
    let config = dossier::config::Config::from_environment(cli.lang);
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let mut term =
        dossier::report::Terminal::new(&mut out, &mut err, config.lang, (config.color_out, config.color_err));
    let code = match dossier::run(&cli, &config, &mut term) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            term.error(&error);
            error.exit_code()
        }
    };
    // exit() runs no destructors: flush what is buffered first.
    let _ = std::io::Write::flush(&mut out);
    std::process::exit(code);
}
