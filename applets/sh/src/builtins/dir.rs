//! `cd chdir pwd`

use super::{err, lossy};
use crate::shell::{Res, Shell};
use crate::sys;

/// Makes a logical path canonical: removes `.`, `..` and repeated slashes.
pub fn canon(p: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in p.split(|&c| c == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut v = Vec::new();
    for c in parts {
        v.push(b'/');
        v.extend_from_slice(c);
    }
    if v.is_empty() {
        v.push(b'/');
    }
    v
}

pub fn cd(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let mut physical = false;
    let mut i = 1;
    while i < a.len() && a[i].len() > 1 && a[i][0] == b'-' {
        if a[i] == b"--" {
            i += 1;
            break;
        }
        for &c in &a[i][1..] {
            match c {
                b'P' => physical = true,
                b'L' => physical = false,
                _ => {
                    err(sh, "cd", &format!("-{}: invalid option", c as char));
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let mut print = false;
    let target: Vec<u8> = match a.get(i) {
        None => match sh.vars.get(b"HOME") {
            Some(h) if !h.is_empty() => h.to_vec(),
            _ => return Ok(0),
        },
        Some(d) if d == b"-" => {
            print = true;
            match sh.vars.get(b"OLDPWD") {
                Some(o) => o.to_vec(),
                None => {
                    err(sh, "cd", "OLDPWD not set");
                    return Ok(2);
                }
            }
        }
        Some(d) => d.clone(),
    };
    let pwd = sh
        .vars
        .get(b"PWD")
        .map(|s| s.to_vec())
        .or_else(sys::getcwd)
        .unwrap_or_default();
    let mut candidates: Vec<(Vec<u8>, bool)> = Vec::new();
    let rel = target.first() != Some(&b'/')
        && !target.starts_with(b"./")
        && !target.starts_with(b"../")
        && target != b"."
        && target != b"..";
    if rel {
        if let Some(cdp) = sh.vars.get(b"CDPATH").map(|s| s.to_vec()) {
            for d in cdp.split(|&c| c == b':') {
                if d.is_empty() {
                    candidates.push((target.clone(), false));
                } else {
                    let mut p = d.to_vec();
                    if !p.ends_with(b"/") {
                        p.push(b'/');
                    }
                    p.extend_from_slice(&target);
                    candidates.push((p, true));
                }
            }
        }
    }
    candidates.push((target.clone(), false));
    let mut last_err = 0;
    for (cand, from_cdpath) in candidates {
        let logical = if cand.first() == Some(&b'/') {
            canon(&cand)
        } else {
            let mut p = pwd.clone();
            p.push(b'/');
            p.extend_from_slice(&cand);
            canon(&p)
        };
        let try_path = if physical {
            cand.clone()
        } else {
            logical.clone()
        };
        match sys::chdir(&try_path) {
            Ok(()) => {
                let newpwd = if physical {
                    sys::getcwd().unwrap_or(logical)
                } else {
                    logical
                };
                let _ = sh.vars.set(b"OLDPWD", &pwd, true);
                let _ = sh.vars.set(b"PWD", &newpwd, true);
                if print || from_cdpath {
                    sh.out.extend_from_slice(&newpwd);
                    sh.out.push(b'\n');
                }
                return Ok(0);
            }
            Err(e) => last_err = e,
        }
    }
    err(
        sh,
        "cd",
        &format!(
            "can't cd to {}: {}",
            lossy(&target),
            sys::strerror(last_err)
        ),
    );
    Ok(2)
}

pub fn pwd(sh: &mut Shell, a: &[Vec<u8>]) -> Res {
    let physical = a.iter().skip(1).any(|x| x == b"-P");
    let p = if physical {
        sys::getcwd()
    } else {
        sh.vars
            .get(b"PWD")
            .filter(|p| {
                let (Some(x), Some(y)) = (sys::stat(p), sys::stat(b".")) else {
                    return false;
                };
                x.dev == y.dev && x.ino == y.ino
            })
            .map(|p| p.to_vec())
            .or_else(sys::getcwd)
    };
    match p {
        Some(p) => {
            sh.out.extend_from_slice(&p);
            sh.out.push(b'\n');
            Ok(0)
        }
        None => {
            err(sh, "pwd", "can't get current directory");
            Ok(1)
        }
    }
}
