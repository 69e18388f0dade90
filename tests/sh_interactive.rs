//! Interactive use through a real terminal. tmux (Debian package `tmux`) is the terminal:
//! the tests type keys with `send-keys` and read what the screen shows with `capture-pane`.
//!
//! The editor's own tests run it through a driver: this test binary started again with
//! RBOX_LINEEDIT_DRIVER set runs `rbox_sh::interactive::lineedit_demo`, which prints each
//! line it reads as `[line]` (the screen then shows the editor alone). The `sh_i_*` tests
//! run `rbox sh -i` itself, several of them side by side with BusyBox's ash.

mod common;

#[cfg(feature = "sh-interactive")]
mod pty {
    use super::common;
    use std::os::unix::ffi::OsStringExt;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};
    use std::time::{Duration, Instant};

    /// Not a test: the editor driver, when this binary is started by tmux.
    #[test]
    fn driver() {
        let Some(p) = std::env::var_os("RBOX_LINEEDIT_DRIVER") else {
            return;
        };
        // The test harness has other threads, which would take the signals the tests send;
        // the shell is single-threaded: run the editor in a one-thread child like it. The
        // child gets a process group of its own and the terminal, as a job-control shell
        // gives them (the pane's group is orphaned: the kernel would discard SIGTSTP).
        // SAFETY: the child runs the editor and exits; the parent only waits.
        let pid = unsafe { libc::fork() };
        if pid > 0 {
            let mut st = 0;
            // SAFETY: waiting for our child.
            unsafe { libc::waitpid(pid, &mut st, 0) };
            // SAFETY: getpgrp cannot fail.
            rbox_sh::interactive::jobs::give_terminal(0, unsafe { libc::getpgrp() });
            let code = if libc::WIFSIGNALED(st) {
                128 + libc::WTERMSIG(st)
            } else {
                libc::WEXITSTATUS(st)
            };
            std::process::exit(code);
        }
        rbox_sh::interactive::jobs::child_setup(0, true, 0);
        if let Some(f) = std::env::var_os("RBOX_LINEEDIT_PIDFILE") {
            let _ = std::fs::write(f, std::process::id().to_string());
        }
        // Wipe what the test harness printed.
        rbox_sh::interactive::term::write_all(2, b"\x1b[H\x1b[2J");
        let mut argv = vec![b"demo".to_vec(), p.into_vec()];
        if std::env::var_os("RBOX_LINEEDIT_VI").is_some() {
            argv.push(b"-o".to_vec());
            argv.push(b"vi".to_vec());
        }
        let st = rbox_sh::interactive::lineedit_demo(&argv);
        std::process::exit(st);
    }

    struct Tmux {
        dir: tempfile::TempDir,
        sock: PathBuf,
    }

    fn q(s: &str) -> String {
        format!("'{}'", s.replace('\'', "'\\''"))
    }

    /// Our `sh -i` in a fresh `cols` x `rows` terminal with PS1 `> `, at its first prompt.
    fn our_sh_i(farm: &common::Farm, cols: u32, rows: u32) -> Option<Tmux> {
        let script = format!("{} -i", q(&farm.path("sh").to_string_lossy()));
        let t = Tmux::start(cols, rows, &script, &[("PS1", "> ")])?;
        t.wait_line(">");
        Some(t)
    }

    impl Tmux {
        /// A tmux server with one window `cols` x `rows` running `script` (sh syntax) in
        /// the test's temp dir. `$DRIVER` in the script starts the editor driver (prompt `$ `).
        fn start(cols: u32, rows: u32, script: &str, env: &[(&str, &str)]) -> Option<Tmux> {
            Self::start_in(cols, rows, script, env, &|_| {})
        }

        /// As start, with `setup` preparing the temp dir first.
        fn start_in(
            cols: u32,
            rows: u32,
            script: &str,
            env: &[(&str, &str)],
            setup: &dyn Fn(&Path),
        ) -> Option<Tmux> {
            let tmux = common::system_program("tmux")?;
            let dir = tempfile::Builder::new().prefix("rbox-pty").tempdir().ok()?;
            setup(dir.path());
            let sock = dir.path().join("sock");
            let exe = std::env::current_exe().ok()?;
            let mut vars = format!(
                "HOME={} TERM=xterm LC_ALL=C.UTF-8 PATH=/usr/bin:/bin HISTFILE={} \
                 RBOX_LINEEDIT_PIDFILE={} RBOX_LINEEDIT_DRIVER='$ '",
                q(&dir.path().join("home").to_string_lossy()),
                q(&dir.path().join("hist").to_string_lossy()),
                q(&dir.path().join("pid").to_string_lossy()),
            );
            for (k, v) in env {
                vars.push_str(&format!(" {k}={}", q(v)));
            }
            let _ = std::fs::create_dir_all(dir.path().join("home"));
            let driver = format!(
                "{} --exact pty::driver --nocapture --test-threads=1",
                exe.to_string_lossy()
            );
            let full = format!(
                "cd {}; DRIVER={}; {script}; printf '\\n[exit %s]\\n' $?; sleep 1000",
                q(&dir.path().to_string_lossy()),
                q(&driver)
            );
            let cmd = format!("exec env -i {vars} /bin/sh -c {}", q(&full));
            let st = Command::new(&tmux)
                .arg("-u")
                .arg("-S")
                .arg(&sock)
                .args(["-f", "/dev/null", "new-session", "-d", "-s", "t"])
                .args(["-x", &cols.to_string(), "-y", &rows.to_string()])
                .arg(cmd)
                .status()
                .ok()?;
            assert!(st.success(), "tmux new-session failed");
            Some(Tmux { dir, sock })
        }

        fn path(&self) -> &Path {
            self.dir.path()
        }

        fn tmux(&self, args: &[&str]) -> Output {
            Command::new("tmux")
                .arg("-u")
                .arg("-S")
                .arg(&self.sock)
                .args(args)
                .output()
                .expect("tmux")
        }

        /// Types `text` literally.
        fn typ(&self, text: &str) {
            self.tmux(&["send-keys", "-t", "t", "-l", text]);
        }

        /// Presses keys by tmux name (Enter, C-a, Up, Tab, Escape ...).
        fn press(&self, keys: &[&str]) {
            let mut a = vec!["send-keys", "-t", "t"];
            a.extend_from_slice(keys);
            self.tmux(&a);
        }

        fn screen(&self) -> Vec<String> {
            let o = self.tmux(&["capture-pane", "-p", "-t", "t"]);
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(|l| l.trim_end().to_string())
                .collect()
        }

        fn cursor(&self) -> (usize, usize) {
            let o = self.tmux(&["display", "-p", "-t", "t", "#{cursor_y} #{cursor_x}"]);
            let s = String::from_utf8_lossy(&o.stdout);
            let mut it = s.split_whitespace().map(|n| n.parse().unwrap_or(0));
            (it.next().unwrap_or(0), it.next().unwrap_or(0))
        }

        fn tty(&self) -> String {
            let o = self.tmux(&["display", "-p", "-t", "t", "#{pane_tty}"]);
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        }

        /// Waits until the screen satisfies `f`; fails with the screen after 10 s.
        fn wait(&self, what: &str, f: impl Fn(&[String]) -> bool) -> Vec<String> {
            let t0 = Instant::now();
            loop {
                let s = self.screen();
                if f(&s) {
                    return s;
                }
                if t0.elapsed() > Duration::from_secs(10) {
                    panic!("timed out waiting for {what}; screen:\n{}", s.join("\n"));
                }
                std::thread::sleep(Duration::from_millis(40));
            }
        }

        /// Waits until `n` screen lines start with `prompt`: keys go in only once their
        /// prompt shows (typeahead would be echoed by the terminal itself, at a moment that
        /// depends on the machine's speed).
        fn wait_prompts(&self, prompt: &str, n: usize) -> Vec<String> {
            self.wait(prompt, |s| {
                s.iter().filter(|l| l.starts_with(prompt)).count() >= n
            })
        }

        fn wait_line(&self, line: &str) -> Vec<String> {
            self.wait(line, |s| s.iter().any(|l| l == line))
        }

        fn pid(&self) -> i32 {
            let t0 = Instant::now();
            loop {
                if let Ok(p) = std::fs::read_to_string(self.path().join("pid")) {
                    if let Ok(n) = p.trim().parse() {
                        return n;
                    }
                }
                assert!(
                    t0.elapsed() < Duration::from_secs(10),
                    "driver did not start"
                );
                std::thread::sleep(Duration::from_millis(40));
            }
        }
    }

    impl Drop for Tmux {
        fn drop(&mut self) {
            self.tmux(&["kill-server"]);
        }
    }

    fn stty(tty: &str) -> String {
        let o = Command::new("stty")
            .args(["-F", tty, "-g"])
            .output()
            .expect("stty");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    #[test]
    fn editing_keys_on_screen() {
        let Some(t) = Tmux::start(60, 10, "$DRIVER", &[]) else {
            return;
        };
        t.wait_line("$");
        t.typ("echo hello world");
        t.press(&["C-a"]);
        t.typ("X");
        t.wait_line("$ Xecho hello world");
        assert_eq!(t.cursor(), (0, 3));
        t.press(&["End", "C-w"]);
        t.typ("there");
        t.press(&["Left", "Left", "C-k", "Home", "Right", "Delete"]);
        t.wait_line("$ Xcho hello the");
        t.press(&["M-f", "M-d"]);
        t.wait_line("$ Xcho the");
        t.press(&["C-a", "C-f", "C-t", "C-e", "C-u"]);
        t.wait_line("$");
        t.press(&["C-y"]);
        t.wait_line("$ cXho the");
        t.press(&["Enter"]);
        t.wait_line("[cXho the]");
        t.press(&["C-c"]);
        t.wait_line("[^C]");
        t.typ("exit");
        t.press(&["Enter"]);
        t.wait_line("[exit 0]");
    }

    #[test]
    fn utf8_and_wide_characters_wrap() {
        let Some(t) = Tmux::start(20, 10, "$DRIVER", &[]) else {
            return;
        };
        t.wait_line("$");
        t.typ("aé中文字x");
        t.wait_line("$ aé中文字x");
        assert_eq!(t.cursor(), (0, 11));
        // 2 + 9 + 2*4 = 19 columns: the fifth wide character does not fit in the last
        // column and wraps early.
        t.press(&["C-u"]);
        t.typ("abcdefghi中中中中中");
        let s = t.wait_line("$ abcdefghi中中中中");
        assert_eq!(s[1], "中");
        assert_eq!(t.cursor(), (1, 2));
        t.press(&["Left"]);
        t.wait("cursor on the wrapped character", |_| t.cursor() == (1, 0));
        t.press(&["C-a"]);
        t.wait("cursor at the start", |_| t.cursor() == (0, 2));
        t.press(&["Enter"]);
        // The 21 columns wrap: "]" goes to the next row.
        t.wait_line("[abcdefghi中中中中中");
    }

    #[test]
    fn long_line_and_resize() {
        let Some(t) = Tmux::start(20, 10, "$DRIVER", &[]) else {
            return;
        };
        t.wait_line("$");
        t.typ("0123456789abcdefghijklmnopqrstuv");
        let s = t.wait_line("$ 0123456789abcdefgh");
        assert_eq!(s[1], "ijklmnopqrstuv");
        t.press(&["C-a"]);
        t.typ("X");
        let s = t.wait_line("$ X0123456789abcdefg");
        assert_eq!(s[1], "hijklmnopqrstuv");
        assert_eq!(t.cursor(), (0, 3));
        t.tmux(&["resize-window", "-t", "t", "-x", "40"]);
        t.wait("redraw after SIGWINCH", |s| {
            s.iter().any(|l| l == "$ X0123456789abcdefghijklmnopqrstuv")
        });
        assert_eq!(t.cursor().1, 3);
        t.press(&["Enter"]);
        t.wait_line("[X0123456789abcdefghijklmnopqrstuv]");
    }

    #[test]
    fn history_is_saved_and_seen_by_the_next_shell() {
        let Some(t) = Tmux::start(60, 12, "$DRIVER; $DRIVER", &[]) else {
            return;
        };
        t.wait_line("$");
        for l in ["echo one", "echo two", "ls -l"] {
            t.typ(l);
            t.press(&["Enter"]);
            t.wait_line(&format!("[{l}]"));
        }
        t.press(&["C-d"]);
        // The second driver loaded the file.
        t.wait("second session", |s| {
            s.first().is_some_and(|l| l == "$") && !s.iter().any(|l| l.contains("[ls -l]"))
        });
        t.press(&["Up"]);
        t.wait_line("$ ls -l");
        t.press(&["Up", "Up"]);
        t.wait_line("$ echo one");
        t.press(&["Down"]);
        t.wait_line("$ echo two");
        t.press(&["C-u", "C-r"]);
        t.typ("one");
        t.wait_line("(reverse-i-search)`one': echo one");
        t.press(&["Enter"]);
        t.wait_line("[echo one]");
        let h = std::fs::read_to_string(t.path().join("hist")).unwrap_or_default();
        assert_eq!(h, "echo one\necho two\nls -l\necho one\n");
    }

    #[test]
    fn completion_quotes_and_lists_in_columns() {
        let setup = |p: &Path| {
            let w = p.join("w");
            std::fs::create_dir_all(w.join("sub dir")).unwrap();
            for f in ["alpha", "alpine", "my file", "it's"] {
                std::fs::write(w.join(f), "").unwrap();
            }
        };
        let Some(t) = Tmux::start_in(60, 12, "cd w && $DRIVER", &[], &setup) else {
            return;
        };
        t.wait_line("$");
        t.typ("cat al");
        t.press(&["Tab"]);
        t.wait_line("$ cat alp");
        t.press(&["Tab"]);
        t.wait_line("alpha   alpine");
        t.typ("i");
        t.press(&["Tab"]);
        t.wait_line("$ cat alpine");
        t.typ("my");
        t.press(&["Tab"]);
        t.wait_line("$ cat alpine my\\ file");
        t.typ("it");
        t.press(&["Tab"]);
        t.typ("su");
        t.press(&["Tab"]);
        t.wait_line("$ cat alpine my\\ file it\\'s sub\\ dir/");
        t.press(&["Enter"]);
        t.wait_line("[cat alpine my\\ file it\\'s sub\\ dir/]");
    }

    #[test]
    fn vi_mode_keys() {
        let Some(t) = Tmux::start(60, 10, "$DRIVER", &[("RBOX_LINEEDIT_VI", "1")]) else {
            return;
        };
        t.wait_line("$");
        t.typ("echo hello world");
        t.press(&["Escape"]);
        std::thread::sleep(Duration::from_millis(300));
        t.typ("0wdw");
        t.wait_line("$ echo world");
        t.typ("A!");
        t.press(&["Escape"]);
        std::thread::sleep(Duration::from_millis(300));
        t.typ("bcwthere");
        t.wait_line("$ echo there!");
        t.press(&["Enter"]);
        t.wait_line("[echo there!]");
    }

    #[test]
    fn terminal_restored_on_exit_and_signals() {
        let Some(t) = Tmux::start(
            60,
            10,
            "stty -g > before; $DRIVER; st=$?; stty -g > after; (exit $st)",
            &[],
        ) else {
            return;
        };
        t.wait_line("$");
        let tty = t.tty();
        let before = std::fs::read_to_string(t.path().join("before")).unwrap_or_default();
        let before = before.trim();
        assert!(!before.is_empty());
        assert_ne!(stty(&tty), before, "raw mode while reading");
        let pid = t.pid();
        // Stopped by a catchable SIGTSTP: modes put back while stopped, raw again after.
        // SAFETY: signals to the driver process this test started.
        unsafe { libc::kill(pid, libc::SIGTSTP) };
        let t0 = Instant::now();
        while stty(&tty) != before {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "modes not restored on SIGTSTP"
            );
            std::thread::sleep(Duration::from_millis(40));
        }
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGCONT) };
        let t0 = Instant::now();
        while stty(&tty) == before {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "no raw mode after SIGCONT"
            );
            std::thread::sleep(Duration::from_millis(40));
        }
        t.typ("ab");
        t.wait_line("$ ab");
        t.press(&["C-a"]);
        t.typ("X");
        t.wait_line("$ Xab");
        // SIGTERM: modes put back, then the default action.
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        // 143 by the default action; 0 (end of input) when SIGTERM was ignored on entry,
        // as the test's caller may have arranged.
        t.wait("the driver's end", |s| {
            s.iter().any(|l| l == "[exit 143]" || l == "[exit 0]")
        });
        let after = std::fs::read_to_string(t.path().join("after")).unwrap_or_default();
        assert_eq!(after.trim(), before);
    }

    #[test]
    fn set_b_notification_shows_above_the_line() {
        let Some(t) = Tmux::start(60, 10, "$DRIVER", &[("RBOX_LINEEDIT_NOTIFY", "1")]) else {
            return;
        };
        t.wait_line("$");
        t.typ("half typed");
        let s = t.wait("notification", |s| {
            s.iter()
                .any(|l| l == "[1]+  Done                       sleep 0.5")
        });
        assert_eq!(
            s.iter().filter(|l| *l == "$ half typed").count(),
            2,
            "{s:?}"
        );
        assert_eq!(t.cursor().1, 12);
        t.press(&["Enter"]);
        t.wait_line("[half typed]");
    }

    #[test]
    fn not_a_terminal_reads_plain_lines() {
        // stdin a pipe: no escape sequences, prompt and lines as they are.
        let exe = std::env::current_exe().unwrap();
        let mut c = Command::new(exe);
        c.args(["--exact", "pty::driver", "--nocapture", "--test-threads=1"])
            .env("RBOX_LINEEDIT_DRIVER", "> ")
            .env("HISTFILE", "");
        let out = common::run_with_input(&mut c, b"one\x01\ntwo\n");
        let so = String::from_utf8_lossy(&out.stdout);
        assert!(so.contains("[one\x01]\n[two]\n[EOF]\n"), "{so:?}");
        let se = String::from_utf8_lossy(&out.stderr);
        assert!(se.ends_with("> > > "), "{se:?}");
    }

    /// Same keys into BusyBox ash's line editor and ours: the edited line and the cursor must
    /// be the same on the screen.
    #[test]
    fn editing_keys_same_as_busybox() {
        let Some(bb) = common::ref_busybox() else {
            common::skip("reference busybox not found (run .ci/setup)");
            return;
        };
        let cases: &[(&str, &[&str])] = &[
            ("echo one two three", &["C-a", "M-f", "M-f", "C-k"]),
            ("echo one two three", &["M-b", "M-b", "C-w"]),
            // (^T transposes in ours as in bash; BusyBox's default build ignores it.)
            ("echo one two three", &["C-b", "C-b", "C-u"]),
            (
                "echo abc",
                &["Home", "Delete", "End", "BSpace", "Left", "C-d"],
            ),
            (
                "echo abc def",
                &["Left", "Left", "Left", "Left", "C-b", "M-d"],
            ),
            // (BusyBox's default build shows wide characters as "?": only narrow ones here.)
            ("echo éàx", &["Left", "Left", "BSpace"]),
            (
                "echo 0123456789012345678901234567890123456789",
                &["C-a", "C-f"],
            ),
        ];
        let run = |script: &str| -> Vec<(String, (usize, usize))> {
            let Some(t) = Tmux::start(30, 8, script, &[("PS1", "$ ")]) else {
                return Vec::new();
            };
            t.wait("prompt", |s| s.iter().any(|l| l == "$"));
            let mut res = Vec::new();
            for (text, keys) in cases {
                t.press(&["C-e", "C-u", "C-l"]);
                t.wait("clear", |s| s.first().is_some_and(|l| l == "$"));
                t.typ(text);
                let tail: String = text
                    .chars()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                t.wait("typed", |s| s.join("").contains(&tail));
                t.press(keys);
                // Let the editor finish drawing.
                std::thread::sleep(Duration::from_millis(300));
                let s = t.screen();
                let shown: Vec<String> = s.iter().take_while(|l| !l.is_empty()).cloned().collect();
                res.push((shown.join("|"), t.cursor()));
            }
            res
        };
        let ours = run("$DRIVER");
        let theirs = run(&format!("exec {} sh -i", q(&bb.to_string_lossy())));
        assert_eq!(ours.len(), cases.len());
        for (i, (o, b)) in ours.iter().zip(&theirs).enumerate() {
            assert_eq!(o, b, "case {i}: {:?}", cases[i]);
        }
    }

    /// Tab, Tab on an ambiguous file name: the common part, then the list in columns, the
    /// same as BusyBox's editor shows them.
    #[test]
    fn completion_listing_same_as_busybox() {
        let Some(bb) = common::ref_busybox() else {
            common::skip("reference busybox not found (run .ci/setup)");
            return;
        };
        let setup = |p: &Path| {
            let w = p.join("w");
            std::fs::create_dir_all(w.join("alpdir")).unwrap();
            for f in [
                "alpha",
                "alpine",
                "alpaca_long_name",
                "alp_x",
                "alpen",
                "beta",
            ] {
                std::fs::write(w.join(f), "").unwrap();
            }
        };
        let run = |script: &str| -> Option<(Vec<String>, (usize, usize))> {
            let t = Tmux::start_in(40, 10, script, &[("PS1", "$ ")], &setup)?;
            t.wait("prompt", |s| s.iter().any(|l| l == "$"));
            t.typ("cat al");
            t.press(&["Tab"]);
            t.wait("common part", |s| s.iter().any(|l| l == "$ cat alp"));
            t.press(&["Tab"]);
            let s = t.wait("listing", |s| {
                s.iter().filter(|l| *l == "$ cat alp").count() == 2
            });
            Some((s, t.cursor()))
        };
        let Some(ours) = run("cd w && $DRIVER") else {
            return;
        };
        let theirs = run(&format!("cd w && exec {} sh -i", q(&bb.to_string_lossy())));
        assert_eq!(Some(ours), theirs);
    }

    #[test]
    fn sh_i_uses_the_line_editor() {
        let Some(farm) = common::applet("sh") else {
            return;
        };
        let script = format!(
            "mkdir -p w && cd w && {} -i",
            q(&farm.path("sh").to_string_lossy())
        );
        let Some(t) = Tmux::start(60, 16, &script, &[]) else {
            return;
        };
        t.wait("prompt", |s| s.iter().any(|l| l == "$" || l == "#"));
        t.typ("PS1='[\\W]> '");
        t.press(&["Enter"]);
        t.wait_line("[w]>");
        // Editing keys: ^A puts ": " before the command, which then prints nothing.
        t.typ("echo hello");
        t.press(&["C-a"]);
        t.typ(": ");
        t.press(&["Enter"]);
        // ^C in a continuation line throws the whole command away.
        t.typ("if true; then");
        t.press(&["Enter"]);
        t.wait_line(">");
        t.typ("echo no");
        t.press(&["C-c"]);
        t.typ("echo status $?");
        t.press(&["Enter"]);
        let s = t.wait_line("status 130");
        assert!(
            !s.iter().any(|l| l.starts_with("hello") || l == "no"),
            "{s:?}"
        );
        // Completion of a builtin, and history.
        t.typ("histo");
        t.press(&["Tab"]);
        t.wait_line("[w]> history");
        t.press(&["Enter"]);
        t.wait_line("   1 : echo hello");
        t.typ("exit");
        t.press(&["Enter"]);
        t.wait_line("[exit 0]");
        let h = std::fs::read_to_string(t.path().join("hist")).unwrap_or_default();
        assert!(h.contains(": echo hello\n"), "{h:?}");
    }

    /// PS1 goes through parameter, command and arithmetic expansion before the prompt
    /// escapes, as in ash; an empty or comment-only line prompts PS1 again, not PS2; a PS1
    /// from the environment is kept. Compared with BusyBox on the same keys.
    #[test]
    fn sh_i_prompt_expansion() {
        let Some(farm) = common::applet("sh") else {
            return;
        };
        let Some(bb) = common::ref_busybox() else {
            common::skip("reference busybox not found (run .ci/setup)");
            return;
        };
        let run = |shell: &str| -> Option<Vec<String>> {
            let script = format!("mkdir -p w && cd w && X=abc {shell} -i");
            let t = Tmux::start(60, 12, &script, &[("PS1", "env> ")])?;
            t.wait_line("env>");
            t.typ("PS1='$X:$((1+2)):$(echo sub):\\W\\$ '; n=0");
            t.press(&["Enter"]);
            // SAFETY: geteuid cannot fail.
            let me = if unsafe { libc::geteuid() } == 0 {
                '#'
            } else {
                '$'
            };
            let p = format!("abc:3:sub:w{me}");
            t.wait("expanded prompt", |s| s.contains(&p));
            t.typ("X=new");
            t.press(&["Enter"]);
            let p2 = format!("new:3:sub:w{me}");
            // Each line is typed once its prompt shows (typeahead would be echoed by the
            // terminal itself, at a moment that depends on the machine's speed).
            let prompts = |n: usize| t.wait_prompts(&p2, n);
            prompts(1);
            t.press(&["Enter"]);
            prompts(2);
            t.typ("# a comment");
            t.press(&["Enter"]);
            prompts(3);
            t.typ("false");
            t.press(&["Enter"]);
            prompts(4);
            t.typ("echo st=$?");
            t.press(&["Enter"]);
            t.wait_line("st=1");
            prompts(5);
            t.typ("exit");
            t.press(&["Enter"]);
            Some(t.wait_line("[exit 0]"))
        };
        let Some(ours) = run(&q(&farm.path("sh").to_string_lossy())) else {
            return;
        };
        assert!(!ours.iter().any(|l| l.starts_with('>')), "{ours:?}");
        let theirs = run(&format!("{} sh", q(&bb.to_string_lossy())));
        assert_eq!(Some(ours), theirs);
    }

    /// ^D at the prompt: refused under ignoreeof (as BusyBox says it), refused once with
    /// stopped jobs, else the shell leaves.
    #[test]
    fn sh_i_end_of_input() {
        let Some(farm) = common::applet("sh") else {
            return;
        };
        let Some(bb) = common::ref_busybox() else {
            common::skip("reference busybox not found (run .ci/setup)");
            return;
        };
        let run = |shell: &str| -> Option<Vec<String>> {
            let t = Tmux::start(60, 12, &format!("{shell} -i"), &[("PS1", "> ")])?;
            let prompts = |n: usize| t.wait_prompts(">", n);
            prompts(1);
            t.typ("set -o ignoreeof");
            t.press(&["Enter"]);
            prompts(2);
            t.press(&["C-d"]);
            t.wait_line("Use \"exit\" to leave shell.");
            prompts(3);
            t.typ("set +o ignoreeof; false");
            t.press(&["Enter"]);
            prompts(4);
            t.press(&["C-d"]);
            Some(t.wait_line("[exit 1]"))
        };
        let Some(ours) = run(&q(&farm.path("sh").to_string_lossy())) else {
            return;
        };
        let theirs = run(&format!("{} sh", q(&bb.to_string_lossy())));
        assert_eq!(Some(ours), theirs);

        let Some(t) = our_sh_i(farm, 60, 12) else {
            return;
        };
        t.typ("sleep 100");
        t.press(&["Enter"]);
        std::thread::sleep(Duration::from_millis(300));
        t.press(&["C-z"]);
        t.wait_line("[1]+  Stopped                    sleep 100");
        t.press(&["C-d"]);
        t.wait_line("> You have stopped jobs.");
        t.typ("kill %1");
        t.press(&["Enter"]);
        t.wait_prompts(">", 4);
        t.press(&["C-d"]);
        t.wait_line("[exit 0]");
    }

    /// `set -b`: a background job's end is reported at once, while the editor waits,
    /// and the line being typed is drawn again below the report.
    #[test]
    fn sh_i_notify_at_once() {
        let Some(farm) = common::applet("sh") else {
            return;
        };
        let Some(t) = our_sh_i(farm, 60, 12) else {
            return;
        };
        t.typ("set -b; sleep 0.3 &");
        t.press(&["Enter"]);
        t.typ("echo typed");
        t.wait_line("[1]+  Done                       sleep 0.3");
        t.wait_line("> echo typed");
        t.press(&["Enter"]);
        t.wait_line("typed");
        t.typ("jobs; echo jobs-done");
        t.press(&["Enter"]);
        let s = t.wait_line("jobs-done");
        assert_eq!(
            s.iter().filter(|l| l.contains("Done")).count(),
            1,
            "reported once: {s:?}"
        );
    }

    /// A job that changes the terminal modes and stops: the shell gets its own modes back,
    /// `fg` gives the job its modes again (as ash); a foreground job killed by a signal is
    /// reported as ash reports it.
    #[test]
    fn sh_i_job_terminal_modes_and_signals() {
        let Some(farm) = common::applet("sh") else {
            return;
        };
        let Some(t) = our_sh_i(farm, 70, 20) else {
            return;
        };
        t.typ("/bin/sh -c 'stty -echo; kill -STOP $$; stty -a > inside'");
        t.press(&["Enter"]);
        t.wait("stopped", |s| s.iter().any(|l| l.contains("Stopped")));
        t.typ("stty -a > outside; fg");
        t.press(&["Enter"]);
        t.wait("job finished", |_| t.path().join("inside").exists());
        t.typ("/bin/sh -c 'kill -KILL $$'");
        t.press(&["Enter"]);
        t.wait_line("Killed");
        // A subshell in the foreground is a job too, shown as written (as ash).
        t.typ("(sleep 100; echo x)");
        t.press(&["Enter"]);
        std::thread::sleep(Duration::from_millis(300));
        t.press(&["C-z"]);
        t.wait_line("[1]+  Stopped                    (sleep 100; echo x)");
        t.typ("kill %1");
        t.press(&["Enter"]);
        let modes = |f: &str| std::fs::read_to_string(t.path().join(f)).unwrap_or_default();
        let has = |m: &str, w: &str| m.split_whitespace().any(|x| x == w);
        let (inside, outside) = (modes("inside"), modes("outside"));
        assert!(has(&outside, "echo"), "shell's modes back: {outside}");
        assert!(has(&inside, "-echo"), "the job's modes after fg: {inside}");
    }

    #[test]
    fn sh_i_job_control() {
        let Some(farm) = common::applet("sh") else {
            return;
        };
        let script = format!("{} -i", q(&farm.path("sh").to_string_lossy()));
        let Some(t) = Tmux::start(70, 20, &script, &[]) else {
            return;
        };
        t.wait("prompt", |s| s.iter().any(|l| l == "$" || l == "#"));
        t.typ("PS1='> '");
        t.press(&["Enter"]);
        t.wait_line(">");
        // ^Z stops the foreground pipeline; the shell reports it and prompts.
        t.typ("sleep 100 | cat");
        t.press(&["Enter"]);
        std::thread::sleep(Duration::from_millis(300));
        t.press(&["C-z"]);
        t.wait_line("[1]+  Stopped                    sleep 100 | cat");
        t.typ("exit");
        t.press(&["Enter"]);
        t.wait_line("You have stopped jobs.");
        t.typ("sleep 200 &");
        t.press(&["Enter"]);
        t.typ("jobs");
        t.press(&["Enter"]);
        t.wait_line("[2]+  Running                    sleep 200");
        t.wait_line("[1]-  Stopped                    sleep 100 | cat");
        t.typ("bg %1");
        t.press(&["Enter"]);
        t.wait_line("[1] sleep 100 | cat");
        t.typ("fg %?200");
        t.press(&["Enter"]);
        t.wait_line("sleep 200");
        std::thread::sleep(Duration::from_millis(300));
        // ^C reaches the foreground job, not the shell.
        t.press(&["C-c"]);
        t.typ("echo status $?");
        t.press(&["Enter"]);
        t.wait_line("status 130");
        t.typ("kill %1; sleep 0.3");
        t.press(&["Enter"]);
        t.wait_line("[1]+  Terminated                 sleep 100 | cat");
        t.typ("exit");
        t.press(&["Enter"]);
        t.wait_line("[exit 0]");
    }

    #[test]
    fn term_dumb_reads_plain_lines_from_the_terminal() {
        let Some(t) = Tmux::start(60, 10, "TERM=dumb $DRIVER", &[]) else {
            return;
        };
        t.wait_line("$");
        t.typ("abc");
        t.press(&["C-a"]);
        t.typ("X");
        t.press(&["Enter"]);
        // No editing: ^A is a character of the line (the terminal echoes it as ^A; the
        // driver prints it raw, which the screen does not show).
        t.wait_line("$ abc^AX");
        t.wait_line("[abcX]");
    }
}
