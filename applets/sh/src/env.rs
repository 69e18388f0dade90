//! The shell's variables, options, positional parameters and traps.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small fast hasher (FxHash's multiply-rotate) for the variable table: names are short and
/// not attacker-chosen in a way that matters for a shell.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut b = bytes;
        while b.len() >= 8 {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[..8]);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            b = &b[8..];
        }
        for &c in b {
            h = (h.rotate_left(5) ^ c as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        self.0 = h;
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

#[derive(Clone, Debug, Default)]
pub struct Var {
    pub val: Option<Vec<u8>>,
    pub export: bool,
    pub readonly: bool,
}

#[derive(Default)]
pub struct Vars {
    pub map: FxMap<Vec<u8>, Var>,
    /// Saved variables per function call (`local`) or temporary assignment frame.
    pub frames: Vec<Vec<(Vec<u8>, Option<Var>)>>,
}

impl Vars {
    #[inline]
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get(name).and_then(|v| v.val.as_deref())
    }

    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    /// Sets a variable; Err(()) when it is read-only.
    #[inline]
    pub fn set(&mut self, name: &[u8], val: &[u8], export: bool) -> Result<(), ()> {
        if let Some(v) = self.map.get_mut(name) {
            if v.readonly {
                return Err(());
            }
            match &mut v.val {
                Some(old) => {
                    old.clear();
                    old.extend_from_slice(val);
                }
                None => v.val = Some(val.to_vec()),
            }
            if export {
                v.export = true;
            }
            return Ok(());
        }
        self.map.insert(
            name.to_vec(),
            Var {
                val: Some(val.to_vec()),
                export,
                readonly: false,
            },
        );
        Ok(())
    }

    pub fn unset(&mut self, name: &[u8]) -> Result<(), ()> {
        if let Some(v) = self.map.get(name) {
            if v.readonly {
                return Err(());
            }
            if self.frames.is_empty() {
                self.map.remove(name);
            } else if let Some(v) = self.map.get_mut(name) {
                v.val = None;
                v.export = false;
            }
        }
        Ok(())
    }

    /// Saves the current state of `name` in the innermost frame (once per frame).
    pub fn save_in_frame(&mut self, name: &[u8]) {
        let old = self.map.get(name).cloned();
        if let Some(f) = self.frames.last_mut() {
            if f.iter().any(|(n, _)| n == name) {
                return;
            }
            f.push((name.to_vec(), old));
        }
    }

    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop_frame(&mut self) {
        if let Some(f) = self.frames.pop() {
            for (n, old) in f.into_iter().rev() {
                match old {
                    Some(v) => {
                        self.map.insert(n, v);
                    }
                    None => {
                        self.map.remove(&n);
                    }
                }
            }
        }
    }

    /// NAME=value strings of the exported variables, for execve.
    pub fn environ(&self) -> Vec<Vec<u8>> {
        let mut v = Vec::new();
        for (k, var) in &self.map {
            if var.export {
                if let Some(val) = &var.val {
                    let mut s = Vec::with_capacity(k.len() + val.len() + 1);
                    s.extend_from_slice(k);
                    s.push(b'=');
                    s.extend_from_slice(val);
                    v.push(s);
                }
            }
        }
        v
    }
}

#[derive(Default, Clone, Copy)]
pub struct Opts {
    pub allexport: bool,
    pub notify: bool,
    pub noclobber: bool,
    pub errexit: bool,
    pub noglob: bool,
    pub interactive: bool,
    pub monitor: bool,
    pub noexec: bool,
    pub stdin: bool,
    pub nounset: bool,
    pub verbose: bool,
    pub xtrace: bool,
    pub ignoreeof: bool,
    pub pipefail: bool,
    pub errtrace: bool,
    /// `set -o vi`: for the line editor (interactive feature).
    pub vi: bool,
    pub cmdstring: bool,
}

/// (long name, letter) for `set -o` and `$-`.
pub const OPTION_NAMES: &[(&str, u8)] = &[
    ("errexit", b'e'),
    ("noglob", b'f'),
    ("ignoreeof", 0),
    ("monitor", b'm'),
    ("noexec", b'n'),
    ("xtrace", b'x'),
    ("verbose", b'v'),
    ("noclobber", b'C'),
    ("allexport", b'a'),
    ("notify", b'b'),
    ("nounset", b'u'),
    ("errtrace", b'E'),
    ("vi", 0),
    ("pipefail", 0),
];

impl Opts {
    pub fn flag(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "errexit" => &mut self.errexit,
            "noglob" => &mut self.noglob,
            "ignoreeof" => &mut self.ignoreeof,
            "monitor" => &mut self.monitor,
            "noexec" => &mut self.noexec,
            "xtrace" => &mut self.xtrace,
            "verbose" => &mut self.verbose,
            "noclobber" => &mut self.noclobber,
            "allexport" => &mut self.allexport,
            "notify" => &mut self.notify,
            "nounset" => &mut self.nounset,
            "pipefail" => &mut self.pipefail,
            "errtrace" => &mut self.errtrace,
            "vi" => &mut self.vi,
            _ => return None,
        })
    }

    pub fn letter(&mut self, c: u8) -> Option<&mut bool> {
        let name = OPTION_NAMES.iter().find(|(_, l)| *l == c && c != 0)?.0;
        self.flag(name)
    }

    /// `$-`
    pub fn dash(&self) -> Vec<u8> {
        let mut s = Vec::new();
        if self.errtrace {
            s.push(b'E');
        }
        if self.cmdstring {
            s.push(b'c');
        }
        let mut me = *self;
        for c in b"efImnsuvxCab" {
            let on = match c {
                b'I' => false,
                b's' => self.stdin,
                b'i' => self.interactive,
                _ => me.letter(*c).map(|b| *b).unwrap_or(false),
            };
            if on {
                s.push(*c);
            }
        }
        s
    }
}

/// Signal names without SIG, indexed by number (Linux numbering).
pub const SIGNALS: &[(&str, i32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("STKFLT", 16),
    ("CHLD", 17),
    ("CONT", 18),
    ("STOP", 19),
    ("TSTP", 20),
    ("TTIN", 21),
    ("TTOU", 22),
    ("URG", 23),
    ("XCPU", 24),
    ("XFSZ", 25),
    ("VTALRM", 26),
    ("PROF", 27),
    ("WINCH", 28),
    ("POLL", 29),
    ("PWR", 30),
    ("SYS", 31),
    ("RTMIN", 34),
    ("RTMAX", 64),
];

pub fn sig_name(n: i32) -> Option<&'static str> {
    SIGNALS.iter().find(|(_, k)| *k == n).map(|(s, _)| *s)
}

/// A signal by name (with or without SIG, any case) or number; EXIT is 0.
pub fn sig_number(s: &[u8]) -> Option<i32> {
    if !s.is_empty() && s.iter().all(|c| c.is_ascii_digit()) {
        let n: i32 = std::str::from_utf8(s).ok()?.parse().ok()?;
        return if n < 65 { Some(n) } else { None };
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix(b"SIG").unwrap_or(&up);
    if name == b"EXIT" {
        return Some(0);
    }
    if name == b"IO" {
        return Some(29);
    }
    SIGNALS
        .iter()
        .find(|(n, _)| n.as_bytes() == name)
        .map(|(_, k)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_restore() {
        let mut v = Vars::default();
        v.set(b"a", b"1", false).unwrap();
        v.push_frame();
        v.save_in_frame(b"a");
        v.save_in_frame(b"b");
        v.set(b"a", b"2", false).unwrap();
        v.set(b"b", b"3", false).unwrap();
        assert_eq!(v.get(b"a"), Some(&b"2"[..]));
        v.pop_frame();
        assert_eq!(v.get(b"a"), Some(&b"1"[..]));
        assert_eq!(v.get(b"b"), None);
    }

    #[test]
    fn signal_names() {
        assert_eq!(sig_number(b"INT"), Some(2));
        assert_eq!(sig_number(b"sigterm"), Some(15));
        assert_eq!(sig_number(b"EXIT"), Some(0));
        assert_eq!(sig_number(b"9"), Some(9));
        assert_eq!(sig_number(b"BOGUS"), None);
    }
}
