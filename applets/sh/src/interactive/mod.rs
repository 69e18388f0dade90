//! Interactive use of the shell: line editing, history, completion, prompts, job control.
//! Everything here sits behind the `interactive` feature; see INTEGRATION.md.
