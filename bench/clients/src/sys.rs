//! What Linux's `/proc` says about this process: thread ids, CPU time per
//! thread, peak and current resident memory. Everything returns `None` where
//! `/proc` is not there, and the report then says "n/a".

/// The kernel's id of the calling thread.
pub fn thread_id() -> Option<u32> {
    // `/proc/thread-self` links to `<pid>/task/<tid>`.
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// Nanoseconds thread `tid` of this process has run on a CPU
/// (`/proc/self/task/<tid>/schedstat`, first field).
pub fn thread_cpu_ns(tid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Peak and current resident set size of this process, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// `VmHWM`: the most the process has ever had resident.
    pub peak_kib: u64,
    /// `VmRSS`: what it has resident now.
    pub current_kib: u64,
}

/// `VmHWM` and `VmRSS` from `/proc/self/status`.
pub fn memory() -> Option<Memory> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some(Memory {
        peak_kib: field("VmHWM:")?,
        current_kib: field("VmRSS:")?,
    })
}

/// The CPU model, the number of CPUs and the kernel, for the report.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown kernel".into());
    format!("{cpus} CPUs ({model}), Linux {kernel}")
}
