//! The `hpskb` binary.

fn main() -> std::process::ExitCode {
    hpskb::cli::main()
}
