//! Local time for `ls -l`: the offset comes from the C library's `localtime_r` (musl and glibc
//! both read `TZ` and the TZif files of /usr/share/zoneinfo and /etc/localtime), cached per
//! quarter hour so a directory of files touched together costs one lookup; the calendar
//! arithmetic is ours.

extern "C" {
    fn tzset();
}

pub struct Clock {
    pub now: i64,
    bucket: i64,
    off: i64,
}

/// A broken-down local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    /// 0..=11
    pub mon: u32,
    pub mday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub wday: u32,
    pub yday: u32,
    /// Seconds east of UTC.
    pub off: i64,
}

pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Clock {
    pub fn new() -> Clock {
        // SAFETY: tzset and time only read the environment and the clock.
        let now = unsafe {
            tzset();
            libc::time(std::ptr::null_mut())
        };
        Clock {
            now: now as i64,
            bucket: i64::MIN,
            off: 0,
        }
    }

    /// Seconds east of UTC at `t`.
    pub fn offset(&mut self, t: i64) -> i64 {
        let b = t.div_euclid(900);
        if b != self.bucket {
            self.bucket = b;
            self.off = libc_offset(t);
        }
        self.off
    }

    pub fn local(&mut self, t: i64) -> Tm {
        let off = self.offset(t);
        civil(t, off)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

#[allow(deprecated)] // libc::time_t: 64-bit on the targets we build
fn libc_offset(t: i64) -> i64 {
    let tt = t as libc::time_t;
    // SAFETY: tm is plain data; localtime_r writes it and reads tt.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&tt, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff as i64
    }
}

/// The libc broken-down time, for strftime(3).
#[allow(deprecated)]
pub fn libc_tm(t: i64) -> Option<libc::tm> {
    let tt = t as libc::time_t;
    // SAFETY: as above.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&tt, &mut tm).is_null() {
            return None;
        }
        Some(tm)
    }
}

/// Calendar fields of `t + off` (proleptic Gregorian, any year).
pub fn civil(t: i64, off: i64) -> Tm {
    let lt = t.saturating_add(off);
    let days = lt.div_euclid(86400);
    let secs = lt.rem_euclid(86400) as u32;
    // Days since 1970-01-01 to y/m/d (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = if m <= 2 { y + 1 } else { y };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = CUM[(m - 1) as usize] + d - 1 + u32::from(leap && m > 2);
    Tm {
        year,
        mon: m - 1,
        mday: d,
        hour: secs / 3600,
        min: secs / 60 % 60,
        sec: secs % 60,
        wday: (days + 4).rem_euclid(7) as u32,
        yday,
        off,
    }
}

/// BusyBox's six-month rule: a file is "recent" (shown with the time of day instead of the
/// year) when it is less than half a year old and at most 15 minutes in the future.
pub fn bb_recent(now: i64, t: i64) -> bool {
    let age = now.wrapping_sub(t);
    age < 3600 * 24 * 365 / 2 && age > -15 * 60
}

/// GNU's rule for --time-style: newer than half a Gregorian year ago and not in the future.
pub fn gnu_recent(now: i64, t: i64) -> bool {
    t > now - 31_556_952 / 2 && t <= now
}

/// `Mmm dd hh:mm ` or `Mmm dd  yyyy ` (ctime's fields, as BusyBox prints them).
pub fn bb_date(out: &mut Vec<u8>, tm: &Tm, recent: bool) {
    out.extend_from_slice(MONTHS[tm.mon as usize].as_bytes());
    push_pad(out, tm.mday as i64, 3, b' ');
    out.push(b' ');
    if recent {
        push_pad(out, tm.hour as i64, 2, b'0');
        out.push(b':');
        push_pad(out, tm.min as i64, 2, b'0');
        out.push(b' ');
    } else {
        // "%6s" of "yyyy ".
        let mut y = Vec::new();
        push_pad(&mut y, tm.year, 0, b' ');
        y.push(b' ');
        for _ in y.len()..6 {
            out.push(b' ');
        }
        out.extend_from_slice(&y);
    }
}

/// `%Y-%m-%d %H:%M:%S %z ` (BusyBox's --full-time).
pub fn bb_full(out: &mut Vec<u8>, tm: &Tm) {
    push_pad(out, tm.year, 0, b' ');
    out.push(b'-');
    push_pad(out, tm.mon as i64 + 1, 2, b'0');
    out.push(b'-');
    push_pad(out, tm.mday as i64, 2, b'0');
    out.push(b' ');
    push_pad(out, tm.hour as i64, 2, b'0');
    out.push(b':');
    push_pad(out, tm.min as i64, 2, b'0');
    out.push(b':');
    push_pad(out, tm.sec as i64, 2, b'0');
    out.push(b' ');
    out.push(if tm.off < 0 { b'-' } else { b'+' });
    let a = tm.off.unsigned_abs() / 60;
    push_pad(out, (a / 60) as i64, 2, b'0');
    push_pad(out, (a % 60) as i64, 2, b'0');
    out.push(b' ');
}

/// Decimal `v` right-aligned in `width` with `pad` (zero padding goes after a minus sign).
pub fn push_pad(out: &mut Vec<u8>, v: i64, width: usize, pad: u8) {
    let mut buf = [0u8; 24];
    let mut i = buf.len();
    let mut u = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    let digits = buf.len() - i + usize::from(v < 0);
    if v < 0 && pad == b'0' {
        out.push(b'-');
    }
    for _ in digits..width {
        out.push(pad);
    }
    if v < 0 && pad != b'0' {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// strftime(3) of `fmt` for `t` with `%N` (nanoseconds, GNU ls) replaced first.
pub fn strftime(out: &mut Vec<u8>, fmt: &[u8], t: i64, nsec: u32) {
    let mut f = Vec::with_capacity(fmt.len() + 8);
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] == b'%' && i + 1 < fmt.len() {
            if fmt[i + 1] == b'N' {
                let mut n = Vec::new();
                push_pad(&mut n, nsec as i64, 9, b'0');
                f.extend_from_slice(&n);
            } else {
                f.extend_from_slice(&fmt[i..i + 2]);
            }
            i += 2;
        } else {
            f.push(fmt[i]);
            i += 1;
        }
    }
    // A leading byte keeps an empty result distinguishable from an error.
    f.insert(0, b'x');
    f.retain(|&b| b != 0);
    f.push(0);
    let tm = match libc_tm(t) {
        Some(tm) => tm,
        None => return,
    };
    let mut cap = 256 + f.len() * 8;
    loop {
        let mut buf = vec![0u8; cap];
        // SAFETY: buf has cap bytes, f is NUL-terminated, tm is initialised.
        let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), cap, f.as_ptr().cast(), &tm) };
        if n > 0 {
            out.extend_from_slice(&buf[1..n]);
            return;
        }
        if cap > 1 << 20 {
            return;
        }
        cap *= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let t = civil(0, 0);
        assert_eq!((t.year, t.mon, t.mday, t.hour, t.wday), (1970, 0, 1, 0, 4));
        let t = civil(-1, 0);
        assert_eq!(
            (t.year, t.mon, t.mday, t.hour, t.min, t.sec),
            (1969, 11, 31, 23, 59, 59)
        );
        // 2000-02-29 12:34:56 UTC = 951827696
        let t = civil(951_827_696, 0);
        assert_eq!(
            (t.year, t.mon, t.mday, t.hour, t.min, t.sec),
            (2000, 1, 29, 12, 34, 56)
        );
        assert_eq!(t.yday, 59);
        let t = civil(951_827_696, 3600 * 2);
        assert_eq!((t.mday, t.hour), (29, 14));
        // 1900-01-01 = -2208988800
        let t = civil(-2_208_988_800, 0);
        assert_eq!((t.year, t.mon, t.mday), (1900, 0, 1));
    }

    #[test]
    fn six_month_rule() {
        let now = 1_700_000_000;
        assert!(bb_recent(now, now));
        assert!(bb_recent(now, now - 15_767_999));
        assert!(!bb_recent(now, now - 15_768_000));
        assert!(bb_recent(now, now + 899));
        assert!(!bb_recent(now, now + 900));
        assert!(!gnu_recent(now, now + 1));
        assert!(gnu_recent(now, now - 15_778_475));
        assert!(!gnu_recent(now, now - 15_778_476));
    }

    #[test]
    fn date_strings() {
        let mut v = Vec::new();
        bb_date(&mut v, &civil(951_827_696, 0), true);
        assert_eq!(v, b"Feb 29 12:34 ");
        v.clear();
        bb_date(&mut v, &civil(0, 0), false);
        assert_eq!(v, b"Jan  1  1970 ");
        v.clear();
        bb_date(&mut v, &civil(253_402_300_800, 0), false);
        assert_eq!(v, b"Jan  1 10000 ");
        v.clear();
        bb_full(&mut v, &civil(951_827_696, -5 * 3600 - 1800));
        assert_eq!(v, b"2000-02-29 07:04:56 -0530 ");
    }
}
