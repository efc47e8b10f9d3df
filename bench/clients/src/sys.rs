//! What Linux's `/proc` says about this process and the machine: thread
//! ids, CPU time and preemptions per thread, peak and current resident
//! memory, CPU pressure and the load of other processes; and pinning a
//! thread to a CPU. Everything returns `None` where `/proc` (or the system
//! call) is not there, and the report then says "n/a".

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

/// How many times thread `tid` of this process was switched out while it
/// could have gone on running (`nonvoluntary_ctxt_switches`): each is a
/// moment another thread or process took its CPU.
pub fn thread_preemptions(tid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/self/task/{tid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("nonvoluntary_ctxt_switches:"))?
        .trim()
        .parse()
        .ok()
}

/// Microseconds during which at least one runnable task of the machine
/// waited for a CPU, since boot (`/proc/pressure/cpu`, `some ... total=`).
pub fn cpu_pressure_us() -> Option<u64> {
    let pressure = std::fs::read_to_string("/proc/pressure/cpu").ok()?;
    pressure
        .lines()
        .find(|l| l.starts_with("some "))?
        .split_whitespace()
        .find_map(|field| field.strip_prefix("total="))?
        .parse()
        .ok()
}

/// CPU time of the whole machine and of this process, in clock ticks, to
/// tell how much CPU other processes used over a stretch of time.
#[derive(Debug, Clone, Copy)]
pub struct CpuTimes {
    /// Ticks every CPU spent busy (user, nice, system, irq, softirq).
    pub machine_busy: u64,
    /// Ticks the hypervisor gave to other guests while this one wanted
    /// to run (`steal`).
    pub steal: u64,
    /// Ticks of this process (user and system).
    pub process: u64,
}

impl CpuTimes {
    /// Reads `/proc/stat` and `/proc/self/stat`.
    pub fn now() -> Option<CpuTimes> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let fields: Vec<u64> = stat
            .lines()
            .next()?
            .strip_prefix("cpu ")?
            .split_whitespace()
            .map(|f| f.parse().ok())
            .collect::<Option<_>>()?;
        // user nice system idle iowait irq softirq steal ...
        let field = |i: usize| fields.get(i).copied();
        let machine_busy = field(0)? + field(1)? + field(2)? + field(5)? + field(6)?;
        let steal = field(7)?;
        let own = std::fs::read_to_string("/proc/self/stat").ok()?;
        // The command name may hold spaces; the fields after it start at ')'.
        let after = own.rsplit_once(')')?.1;
        let own: Vec<&str> = after.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of the line; counting from
        // the state (field 3) as index 0, they are at 11 and 12.
        let process = own.get(11)?.parse::<u64>().ok()? + own.get(12)?.parse::<u64>().ok()?;
        Some(CpuTimes {
            machine_busy,
            steal,
            process,
        })
    }
}

/// How many clock ticks `/proc/stat` counts per second (`_SC_CLK_TCK`).
pub fn clock_ticks_per_second() -> Option<u64> {
    // SAFETY: sysconf only reads a configuration value.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).ok().filter(|&t| t > 0)
}

/// The 1, 5 and 15 minute load averages (`/proc/loadavg`), as printed there.
pub fn load_average() -> Option<String> {
    let load = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The CPUs this process may run on, lowest first.
pub fn allowed_cpus() -> Option<Vec<usize>> {
    // SAFETY: `set` is a plain bit set that sched_getaffinity fills in; the
    // size passed is its own.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return None;
        }
        Some(
            (0..libc::CPU_SETSIZE as usize)
                .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
                .collect(),
        )
    }
}

/// Lets thread `tid` of this process (`None`: the calling thread) run only
/// on `cpu`.
pub fn pin_thread(tid: Option<u32>, cpu: usize) -> std::io::Result<()> {
    if cpu >= libc::CPU_SETSIZE as usize {
        return Err(std::io::Error::other(format!("no CPU {cpu}")));
    }
    let pid = match tid {
        Some(tid) => libc::pid_t::try_from(tid).map_err(std::io::Error::other)?,
        None => 0,
    };
    // SAFETY: `set` is a plain bit set, zeroed and then given one CPU; the
    // size passed is its own; pid 0 is the calling thread.
    let failed = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0
    };
    if failed {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
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
