//! The `hpskb` binary: the command layer ([`cmd`]) over the library.

// Nothing here is API: visibility says which module uses an item.
#![warn(unreachable_pub)]

mod cmd;

/// Rendering allocates many short-lived strings on every thread; mimalloc handles that
/// with less lock and page-fault traffic than the system allocator (about 10% of a
/// 10,000-page build; see the README's performance section).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::main()
}
