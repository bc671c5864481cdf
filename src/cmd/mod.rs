//! One module per subcommand: each turns its arguments into calls of the stages and writes
//! through the [`Terminal`](crate::report::Terminal).

pub mod build;
pub mod check;
pub mod init;
pub mod inspect;
pub mod verify;
