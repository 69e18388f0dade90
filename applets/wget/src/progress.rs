//! BusyBox's one-line progress meter: name (20 columns), percent, a bar sized to the
//! terminal (width - 48), the size in 5 columns and the ETA. On a terminal it is redrawn in
//! place at most 5 times a second; elsewhere only the final line is printed.

use std::time::{Duration, Instant};

pub struct Progress {
    name: Vec<u8>,
    tty: bool,
    width: usize,
    start: Instant,
    last_draw: Option<Instant>,
    /// Bytes the file had before (a resumed download).
    beg: u64,
    /// Expected total (0: unknown).
    total: u64,
    last_change: Instant,
    last_size: u64,
    /// Time cut out of the elapsed time after a stall.
    stalled_cut: Duration,
}

fn term_width() -> usize {
    // SAFETY: winsize is plain data filled in by the kernel.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes a winsize into the pointer given.
    let r = unsafe { libc::ioctl(2, libc::TIOCGWINSZ, &mut ws) };
    if r == 0 && ws.ws_col > 0 {
        return usize::from(ws.ws_col);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|&c| c > 0)
        .unwrap_or(80)
}

/// BusyBox's 5-column size: "12345", " 123k", "97.6k", "1234M".
pub fn size5(n: u64) -> String {
    const UNITS: &[u8] = b" kMGTPEZY";
    if n <= 99_999 {
        return format!("{n:5}");
    }
    let mut v = u128::from(n) * 10;
    let mut idx = 0;
    loop {
        v /= 1024;
        idx += 1;
        if v < 100_000 {
            break;
        }
    }
    let u = v / 10;
    let t = v % 10;
    let unit = char::from(UNITS[idx.min(UNITS.len() - 1)]);
    if u >= 100 {
        format!("{u:4}{unit}")
    } else {
        format!("{u:2}.{t}{unit}")
    }
}

impl Progress {
    pub fn new(name: &[u8], beg: u64, total: u64) -> Progress {
        // SAFETY: isatty only inspects the descriptor.
        let tty = unsafe { libc::isatty(2) } == 1;
        let now = Instant::now();
        Progress {
            name: name.to_vec(),
            tty,
            width: if tty { term_width() } else { 80 },
            start: now,
            last_draw: None,
            beg,
            total,
            last_change: now,
            last_size: 0,
            stalled_cut: Duration::ZERO,
        }
    }

    /// Called after every read with the bytes transferred in this run.
    pub fn update(&mut self, log: &mut dyn FnMut(&[u8]), transferred: u64) {
        let now = Instant::now();
        if transferred != self.last_size {
            let since = now - self.last_change;
            if since >= Duration::from_secs(5) {
                self.stalled_cut += since;
            }
            self.last_change = now;
            self.last_size = transferred;
        }
        if !self.tty {
            return;
        }
        if self
            .last_draw
            .is_some_and(|t| now - t < Duration::from_millis(200))
        {
            return;
        }
        self.last_draw = Some(now);
        let line = self.line(transferred, now);
        log(&line);
    }

    /// The last line (and a newline): on a terminal, redraws it complete.
    pub fn finish(&mut self, log: &mut dyn FnMut(&[u8]), transferred: u64) {
        // A body of unknown length is complete now: BusyBox shows it as 100%.
        if self.total == 0 {
            self.total = self.beg.saturating_add(transferred);
        }
        let mut line = self.line(transferred, Instant::now());
        line.push(b'\n');
        log(&line);
    }

    fn line(&self, transferred: u64, now: Instant) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.width + 8);
        if self.tty {
            out.push(b'\r');
        }
        // The name in exactly 20 columns (cut or padded), then a space.
        let mut name: Vec<u8> = self.name.iter().copied().take(20).collect();
        while name.len() < 20 {
            name.push(b' ');
        }
        out.extend_from_slice(&name);
        out.push(b' ');
        let done = self.beg.saturating_add(transferred);
        if self.total != 0 {
            let ratio = if done >= self.total {
                100
            } else {
                (u128::from(done) * 100 / u128::from(self.total)) as u64
            };
            out.extend_from_slice(format!("{ratio:3}% ").as_bytes());
            let bar = self.width.saturating_sub(48).min(999);
            if bar > 2 {
                let stars = (bar as u128 * u128::from(done.min(self.total))
                    / u128::from(self.total)) as usize;
                out.push(b'|');
                out.resize(out.len() + stars, b'*');
                out.resize(out.len() + bar - stars, b' ');
                out.extend_from_slice(b"| ");
            }
        }
        out.extend_from_slice(size5(done).as_bytes());
        let since_change = now - self.last_change;
        let elapsed = (now - self.start)
            .saturating_sub(self.stalled_cut)
            .as_secs();
        if since_change >= Duration::from_secs(5) {
            out.extend_from_slice(b"  - stalled -");
        } else if self.total == 0 || transferred == 0 {
            out.extend_from_slice(b" --:--:-- ETA");
        } else {
            let bytes = self.total.saturating_sub(self.beg);
            let eta = (u128::from(bytes) * u128::from(elapsed) / u128::from(transferred))
                .saturating_sub(u128::from(elapsed));
            let eta = eta.min(1000 * 3600 - 1) as u64;
            let (h, s) = (eta / 3600, eta % 3600);
            out.extend_from_slice(format!("{h:3}:{:02}:{:02} ETA", s / 60, s % 60).as_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size5(3), "    3");
        assert_eq!(size5(99_999), "99999");
        assert_eq!(size5(100_000), "97.6k");
        assert_eq!(size5(1024 * 1024 * 200), " 200M");
        assert_eq!(size5(u64::MAX), "15.9E");
    }
}
