//! Turns the enabled applet features into the applet table (`OUT_DIR/applets.rs`): the
//! analogue of BusyBox's applets.h. To add an applet, add its line to `APPLETS` and its feature
//! to Cargo.toml; nothing else in the front changes.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

struct Spec {
    name: &'static str,
    /// The Cargo feature that compiles it in.
    feature: &'static str,
    /// The module holding `main` and `USAGE`.
    module: &'static str,
    dir: &'static str,
    nofork: bool,
    help_is_operand: bool,
    suid: &'static str,
}

const fn applet(
    name: &'static str,
    feature: &'static str,
    module: &'static str,
    dir: &'static str,
) -> Spec {
    Spec {
        name,
        feature,
        module,
        dir,
        nofork: false,
        help_is_operand: false,
        suid: "Drop",
    }
}

// One line per applet: name, feature, module (holding `main` and `USAGE`), install dir; the
// defaults (fork needed, `--help` is an option, setuid privileges dropped) overridden where the
// applet differs.
#[rustfmt::skip]
const APPLETS: &[Spec] = &[
    Spec { nofork: true, help_is_operand: true, ..applet("true", "true", "rbox_coreutils::true_", "Bin") },
    Spec { nofork: true, help_is_operand: true, ..applet("false", "false", "rbox_coreutils::false_", "Bin") },
    applet("sh", "sh", "rbox_sh", "Bin"),
    applet("ash", "sh", "rbox_sh", "Bin"),
    applet("ls", "ls", "rbox_ls", "Bin"),
    applet("tar", "tar", "rbox_tar", "Bin"),
    applet("wget", "wget", "rbox_wget", "UsrBin"),
    applet("adduser", "adduser", "rbox_accounts::adduser", "UsrSbin"),
    applet("addgroup", "addgroup", "rbox_accounts::addgroup", "UsrSbin"),
    applet("deluser", "deluser", "rbox_accounts::deluser", "UsrSbin"),
    applet("delgroup", "delgroup", "rbox_accounts::delgroup", "UsrSbin"),
    Spec { suid: "Maybe", ..applet("passwd", "passwd", "rbox_accounts::passwd", "UsrBin") },
    applet("chpasswd", "chpasswd", "rbox_accounts::chpasswd", "UsrSbin"),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut enabled: Vec<&Spec> = APPLETS
        .iter()
        .filter(|s| {
            let var = format!(
                "CARGO_FEATURE_{}",
                s.feature.to_uppercase().replace('-', "_")
            );
            env::var_os(var).is_some()
        })
        .collect();
    enabled.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));

    let mut out = String::new();
    writeln!(
        out,
        "pub static APPLETS: [rbox_common::Applet; {}] = [",
        enabled.len()
    )
    .unwrap();
    for s in &enabled {
        writeln!(
            out,
            "    rbox_common::Applet {{ name: {:?}, dir: rbox_common::InstallDir::{}, main: {}::main, \
             usage: {}::USAGE, nofork: {}, help_is_operand: {}, suid: rbox_common::Suid::{} }},",
            s.name, s.dir, s.module, s.module, s.nofork, s.help_is_operand, s.suid
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    let path = Path::new(&env::var_os("OUT_DIR").unwrap()).join("applets.rs");
    fs::write(path, out).unwrap();
}
