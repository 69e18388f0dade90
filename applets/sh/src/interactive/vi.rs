//! `set -o vi`: insert mode (the emacs keys without the Alt ones) and command mode after ESC.
//!
//! Command mode: counts; motions `h l SPACE BS 0 ^ $ | w b e W B E f F t T ; ,`; operators
//! `d c y` with a motion or doubled (`dd cc yy`); `x X s S C D r ~ p P u`; `i a I A` back to
//! insert; `j k + -` (and the arrows) through history; Enter accepts; `#` accepts the line
//! as a comment.

use super::complete::Completer;
use super::history::History;
use super::lineedit::{Core, Key, ReadResult};
use super::width::{next_boundary, prev_boundary};

#[derive(Default)]
pub struct State {
    pub cmd: bool,
    /// An operator (d c y) or a key that takes a character (r f F t T), waiting.
    pending: Vec<u8>,
    count: usize,
    last_find: Option<(u8, Vec<u8>)>,
    undo: Option<(Vec<u8>, usize)>,
}

fn class(b: u8, big: bool) -> u8 {
    if b == b' ' || b == b'\t' {
        0
    } else if big || b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
        1
    } else {
        2
    }
}

fn word_fwd(buf: &[u8], mut i: usize, big: bool) -> usize {
    let n = buf.len();
    if i >= n {
        return n;
    }
    let c = class(buf[i], big);
    if c != 0 {
        while i < n && class(buf[i], big) == c {
            i += 1;
        }
    }
    while i < n && class(buf[i], big) == 0 {
        i += 1;
    }
    i
}

fn word_back(buf: &[u8], mut i: usize, big: bool) -> usize {
    while i > 0 && class(buf[i - 1], big) == 0 {
        i -= 1;
    }
    if i == 0 {
        return 0;
    }
    let c = class(buf[i - 1], big);
    while i > 0 && class(buf[i - 1], big) == c {
        i -= 1;
    }
    i
}

fn word_end(buf: &[u8], i: usize, big: bool) -> usize {
    let n = buf.len();
    let mut i = i + 1;
    while i < n && class(buf[i], big) == 0 {
        i += 1;
    }
    if i >= n {
        return n.saturating_sub(1);
    }
    let c = class(buf[i], big);
    while i + 1 < n && class(buf[i + 1], big) == c {
        i += 1;
    }
    i
}

/// Where `f F t T` with `ch` lands from `pos`, if anywhere.
fn find(buf: &[u8], pos: usize, op: u8, ch: &[u8]) -> Option<usize> {
    match op {
        b'f' | b't' => {
            let from = next_boundary(buf, pos);
            let k = buf.get(from..)?.windows(ch.len()).position(|w| w == ch)? + from;
            Some(if op == b't' { prev_boundary(buf, k) } else { k })
        }
        _ => {
            let k = buf[..pos].windows(ch.len()).rposition(|w| w == ch)?;
            Some(if op == b'T' { next_boundary(buf, k) } else { k })
        }
    }
}

fn last_char(core: &Core) -> usize {
    prev_boundary(&core.buf, core.buf.len())
}

/// Keeps the command-mode cursor on a character.
fn clamp(core: &mut Core) {
    if core.pos >= core.buf.len() && !core.buf.is_empty() {
        core.pos = last_char(core);
    }
}

pub fn key(
    core: &mut Core,
    k: Key,
    hist: &mut History,
    c: &mut dyn Completer,
) -> Option<ReadResult> {
    if !core.vi_st.cmd {
        return match k {
            Key::Esc => {
                enter_cmd(core);
                None
            }
            Key::Meta(b) => {
                enter_cmd(core);
                key(core, Key::of_byte(b), hist, c)
            }
            k => core.emacs(k, hist, c),
        };
    }
    let t = match k {
        Key::Text(t) => t,
        Key::Meta(b) if b >= 0x20 && b != 0x7f => vec![b],
        Key::Meta(b) => return key(core, Key::of_byte(b), hist, c),
        Key::Ctrl(b'\r') | Key::Ctrl(b'\n') => return Some(core.accept()),
        Key::Ctrl(8) | Key::Ctrl(0x7f) => vec![b'h'],
        Key::Left => vec![b'h'],
        Key::Right => vec![b'l'],
        Key::Up => vec![b'k'],
        Key::Down => vec![b'j'],
        Key::Esc => {
            core.vi_st.pending.clear();
            core.vi_st.count = 0;
            return None;
        }
        k => {
            let r = core.emacs(k, hist, c);
            if r.is_none() {
                let before = core.pos;
                clamp(core);
                if core.pos != before {
                    core.refresh();
                }
            }
            return r;
        }
    };
    command(core, &t, hist)
}

fn enter_cmd(core: &mut Core) {
    core.vi_st.cmd = true;
    core.vi_st.pending.clear();
    core.vi_st.count = 0;
    if core.pos > 0 {
        core.pos = prev_boundary(&core.buf, core.pos);
    }
    core.refresh();
}

fn insert_mode(core: &mut Core) {
    core.vi_st.cmd = false;
    core.vi_st.pending.clear();
    core.vi_st.count = 0;
    core.refresh();
}

fn save_undo(core: &mut Core) {
    core.vi_st.undo = Some((core.buf.clone(), core.pos));
}

fn command(core: &mut Core, t: &[u8], hist: &mut History) -> Option<ReadResult> {
    let ch = t.first().copied().unwrap_or(0);
    let pending = core.vi_st.pending.clone();
    // A character argument for r f F t T (possibly after an operator).
    if let Some(&last) = pending.last() {
        if matches!(last, b'r' | b'f' | b'F' | b't' | b'T') {
            core.vi_st.pending.pop();
            if last == b'r' {
                core.vi_st.pending.clear();
                if core.pos < core.buf.len() {
                    save_undo(core);
                    let e = next_boundary(&core.buf, core.pos);
                    core.buf.splice(core.pos..e, t.iter().copied());
                    core.refresh();
                }
                core.vi_st.count = 0;
                return None;
            }
            core.vi_st.last_find = Some((last, t.to_vec()));
            let target = repeat(core, |core, p| find(&core.buf, p, last, t));
            return apply_motion(core, target, matches!(last, b'f' | b't'));
        }
    }
    if ch.is_ascii_digit() && (ch != b'0' || core.vi_st.count > 0) {
        core.vi_st.count = core
            .vi_st
            .count
            .saturating_mul(10)
            .saturating_add((ch - b'0') as usize)
            .min(10000);
        return None;
    }
    // Motions.
    let n = core.buf.len();
    let motion: Option<(Option<usize>, bool)> = match ch {
        b'h' => Some((
            repeat(core, |c, p| (p > 0).then(|| prev_boundary(&c.buf, p))),
            false,
        )),
        b'l' | b' ' => Some((
            repeat(core, |c, p| {
                (p < c.buf.len()).then(|| next_boundary(&c.buf, p))
            }),
            false,
        )),
        b'0' => Some((Some(0), false)),
        b'^' => Some((
            Some(
                core.buf
                    .iter()
                    .position(|&b| b != b' ' && b != b'\t')
                    .unwrap_or(n),
            ),
            false,
        )),
        b'$' => Some((Some(n), false)),
        b'|' => Some((Some(0), false)),
        // cw changes to the end of the word, as in vi.
        b'w' | b'W' if pending.last() == Some(&b'c') => Some((
            repeat(core, |c, p| {
                Some(word_end(&c.buf, p.saturating_sub(1), ch == b'W'))
            }),
            true,
        )),
        b'w' | b'W' => Some((
            repeat(core, |c, p| Some(word_fwd(&c.buf, p, ch == b'W'))),
            false,
        )),
        b'b' | b'B' => Some((
            repeat(core, |c, p| Some(word_back(&c.buf, p, ch == b'B'))),
            false,
        )),
        b'e' | b'E' => Some((
            repeat(core, |c, p| Some(word_end(&c.buf, p, ch == b'E'))),
            true,
        )),
        b';' | b',' => {
            let lf = core.vi_st.last_find.clone();
            match lf {
                Some((op, arg)) => {
                    let op = if ch == b';' {
                        op
                    } else {
                        match op {
                            b'f' => b'F',
                            b'F' => b'f',
                            b't' => b'T',
                            _ => b't',
                        }
                    };
                    let t = repeat(core, |c, p| find(&c.buf, p, op, &arg));
                    Some((t, matches!(op, b'f' | b't')))
                }
                None => Some((None, false)),
            }
        }
        b'f' | b'F' | b't' | b'T' | b'r' => {
            core.vi_st.pending.push(ch);
            return None;
        }
        _ => None,
    };
    if let Some((target, inclusive)) = motion {
        return apply_motion(core, target, inclusive);
    }
    let count = core.vi_st.count.max(1);
    core.vi_st.count = 0;
    if let Some(&op) = pending.last() {
        // dd cc yy: the whole line.
        core.vi_st.pending.clear();
        if ch == op {
            save_undo(core);
            core.kill = core.buf.clone();
            if op != b'y' {
                core.buf.clear();
                core.pos = 0;
            }
            if op == b'c' {
                insert_mode(core);
            } else {
                core.refresh();
            }
        } else {
            core.beep();
        }
        return None;
    }
    match ch {
        b'd' | b'c' | b'y' => {
            core.vi_st.pending.push(ch);
            core.vi_st.count = if count > 1 { count } else { 0 };
        }
        b'i' => insert_mode(core),
        b'a' => {
            core.pos = next_boundary(&core.buf, core.pos);
            insert_mode(core);
        }
        b'I' => {
            core.pos = 0;
            insert_mode(core);
        }
        b'A' => {
            core.pos = n;
            insert_mode(core);
        }
        b'x' | b'X' | b's' => {
            save_undo(core);
            let mut a = core.pos;
            let mut e = core.pos;
            for _ in 0..count {
                if ch == b'X' {
                    a = prev_boundary(&core.buf, a);
                } else {
                    e = next_boundary(&core.buf, e);
                }
            }
            if a < e {
                core.kill = core.buf.drain(a..e).collect();
                core.pos = a;
            }
            if ch == b's' {
                insert_mode(core);
            } else {
                clamp(core);
                core.refresh();
            }
        }
        b'S' => {
            save_undo(core);
            core.buf.clear();
            core.pos = 0;
            insert_mode(core);
        }
        b'C' | b'D' => {
            save_undo(core);
            core.kill = core.buf.split_off(core.pos);
            if ch == b'C' {
                insert_mode(core);
            } else {
                clamp(core);
                core.refresh();
            }
        }
        b'~' => {
            save_undo(core);
            for _ in 0..count {
                if core.pos >= core.buf.len() {
                    break;
                }
                let b = core.buf[core.pos];
                core.buf[core.pos] = if b.is_ascii_lowercase() {
                    b.to_ascii_uppercase()
                } else {
                    b.to_ascii_lowercase()
                };
                core.pos = next_boundary(&core.buf, core.pos);
            }
            clamp(core);
            core.refresh();
        }
        b'p' | b'P' => {
            save_undo(core);
            if ch == b'p' && !core.buf.is_empty() {
                core.pos = next_boundary(&core.buf, core.pos);
            }
            let k = core.kill.clone();
            for _ in 0..count {
                core.buf.splice(core.pos..core.pos, k.iter().copied());
                core.pos += k.len();
            }
            core.pos = prev_boundary(&core.buf, core.pos);
            core.refresh();
        }
        b'u' => {
            if let Some((b, p)) = core.vi_st.undo.take() {
                core.vi_st.undo = Some((core.buf.clone(), core.pos));
                core.buf = b;
                core.pos = p;
                clamp(core);
                core.refresh();
            } else {
                core.beep();
            }
        }
        b'k' | b'-' | b'j' | b'+' => {
            for _ in 0..count {
                core.history_move(hist, ch == b'k' || ch == b'-');
            }
            core.pos = 0;
            core.refresh();
        }
        b'#' => {
            core.buf.insert(0, b'#');
            return Some(core.accept());
        }
        _ => core.beep(),
    }
    None
}

fn repeat(core: &Core, f: impl Fn(&Core, usize) -> Option<usize>) -> Option<usize> {
    let mut p = core.pos;
    for _ in 0..core.vi_st.count.max(1) {
        p = f(core, p)?;
    }
    Some(p)
}

/// Moves, or applies the pending operator to the text between the cursor and `target`.
fn apply_motion(core: &mut Core, target: Option<usize>, inclusive: bool) -> Option<ReadResult> {
    core.vi_st.count = 0;
    let op = core.vi_st.pending.pop();
    core.vi_st.pending.clear();
    let Some(t) = target else {
        core.beep();
        return None;
    };
    let Some(op) = op else {
        core.pos = t.min(core.buf.len());
        clamp(core);
        core.refresh();
        return None;
    };
    let (mut a, mut e) = if t < core.pos {
        (t, core.pos)
    } else {
        (core.pos, t)
    };
    if inclusive && t >= core.pos {
        e = next_boundary(&core.buf, e);
    }
    a = a.min(core.buf.len());
    e = e.min(core.buf.len());
    save_undo(core);
    core.kill = core.buf[a..e].to_vec();
    if op == b'y' {
        core.pos = a;
        clamp(core);
        core.refresh();
        return None;
    }
    core.buf.drain(a..e);
    core.pos = a;
    if op == b'c' {
        insert_mode(core);
    } else {
        clamp(core);
        core.refresh();
    }
    None
}
