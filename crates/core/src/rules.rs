//! The desk's sourcing rules: they live in [`crate::sourcing::rules`], with
//! the sourcing they check; this path stays for the command line and the shell.

pub use crate::sourcing::rules::*;
