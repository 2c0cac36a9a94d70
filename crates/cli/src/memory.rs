//! The process's memory: which allocator serves it, and what keeps an idle
//! server small (issue 22 §7: idle RSS of `dossier serve` ≤ 50 MB).

/// glibc's malloc took a sixth of the server's CPU under a look-up load
/// (malloc, free and their consolidation): mimalloc serves 1.25× the look-ups
/// (BENCHMARKS.md, issue 22 §7). See [`no_huge_pages`] and
/// [`release_freed`] for its memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's arenas are committed at once; where the kernel gives
/// transparent huge pages to every mapping (`always`, as on this host), each
/// arena touched becomes 2 MiB resident: an idle server's own memory was
/// 30 MB against glibc's 12. With them off for this process it is 18 MB.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::thread::disable_transparent_huge_pages(true) {
        eprintln!("warning: cannot turn transparent huge pages off: {e}");
    }
}

/// Gives the system back, now, the memory freed so far. mimalloc returns
/// freed pages only after a delay and only on a later allocation by the
/// same thread — which spares system calls under load, but the thread that
/// started the server (migrations, the OpenAPI document, the demo's seeding)
/// allocates nothing more once it serves, so what the start freed stayed
/// resident for the life of the process. Called once, when the server is up.
pub fn release_freed() {
    // SAFETY: `mi_collect` takes no pointers and may be called from any thread
    // at any time; `force` frees this thread's empty pages and purges every
    // arena's freed ranges without waiting for the delay.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
