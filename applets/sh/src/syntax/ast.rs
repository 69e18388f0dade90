//! The syntax tree: what the parser builds and the executor walks.

use std::cell::RefCell;
use std::rc::Rc;

/// One piece of a word.
#[derive(Debug, Clone)]
pub enum Part {
    /// Unquoted literal text (subject to field splitting only if from expansions: never here,
    /// but glob characters stay special).
    Lit(Vec<u8>),
    /// Quoted literal text: backslash-escaped, '...', $'...', or literal text inside "...".
    Quoted(Vec<u8>),
    /// "...": its parts are all quoted.
    DQuote(Vec<Part>),
    Param(Box<Param>),
    CmdSub(Rc<List>),
    Arith(Box<Word>),
    /// `~` or `~user` at the start of a word (or after `:` / `=` in assignments).
    Tilde(Vec<u8>),
}

#[derive(Debug, Clone, Default)]
pub struct Word {
    pub parts: Parts,
}

/// A word's parts, without a heap allocation for the common one-part word.
#[derive(Debug, Clone)]
pub enum Parts {
    One(Part),
    Many(Vec<Part>),
}

impl Default for Parts {
    fn default() -> Parts {
        Parts::Many(Vec::new())
    }
}

impl std::ops::Deref for Parts {
    type Target = [Part];
    fn deref(&self) -> &[Part] {
        match self {
            Parts::One(p) => std::slice::from_ref(p),
            Parts::Many(v) => v,
        }
    }
}

impl std::ops::DerefMut for Parts {
    fn deref_mut(&mut self) -> &mut [Part] {
        match self {
            Parts::One(p) => std::slice::from_mut(p),
            Parts::Many(v) => v,
        }
    }
}

impl From<Vec<Part>> for Parts {
    fn from(mut v: Vec<Part>) -> Parts {
        if v.len() == 1 {
            if let Some(p) = v.pop() {
                return Parts::One(p);
            }
        }
        Parts::Many(v)
    }
}

impl Parts {
    pub fn as_slice(&self) -> &[Part] {
        self
    }

    pub fn push(&mut self, p: Part) {
        match self {
            Parts::Many(v) if v.is_empty() => *self = Parts::One(p),
            Parts::Many(v) => v.push(p),
            Parts::One(_) => {
                let old = std::mem::take(self);
                if let Parts::One(a) = old {
                    *self = Parts::Many(vec![a, p]);
                }
            }
        }
    }
}

impl Word {
    pub fn lit(s: &[u8]) -> Word {
        Word {
            parts: Parts::One(Part::Lit(s.to_vec())),
        }
    }
    /// The word's text when it is one unquoted literal (reserved words, names).
    pub fn as_lit(&self) -> Option<&[u8]> {
        match self.parts.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PName {
    Var(Vec<u8>),
    /// $1 .. ${10} ..
    Pos(usize),
    /// @ * # ? - $ ! 0
    Special(u8),
}

#[derive(Debug, Clone)]
pub enum POp {
    Plain,
    Length,
    /// `-` `=` `?` `+`, with or without the colon.
    Default(bool, Word),
    Assign(bool, Word),
    Error(bool, Word),
    Alt(bool, Word),
    /// `%` / `%%` (longest = true)
    RSuffix(bool, Word),
    /// `#` / `##`
    RPrefix(bool, Word),
    /// ${v:off:len}
    Substr(Word, Option<Word>),
    /// ${v/p/r}: all, anchor (0 none, 1 '#', 2 '%')
    Replace(bool, u8, Word, Word),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: PName,
    pub op: POp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ROp {
    In,        // <
    Out,       // >
    Clobber,   // >|
    Append,    // >>
    ReadWrite, // <>
    DupIn,     // <&
    DupOut,    // >&
    Here,      // << and <<-
    HereStr,   // <<<
    OutErr,    // &>
}

#[derive(Debug)]
pub struct HereDoc {
    pub body: RefCell<Word>,
    pub quoted: bool,
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: i32,
    pub op: ROp,
    pub target: Word,
    pub here: Option<Rc<HereDoc>>,
}

#[derive(Debug, Clone)]
pub struct Assign {
    pub name: Vec<u8>,
    pub value: Word,
}

#[derive(Debug, Clone)]
pub struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct CaseItem {
    pub pats: Vec<Word>,
    pub body: List,
    pub fallthrough: bool,
}

/// `[[ ... ]]` tokens, evaluated at run time.
#[derive(Debug, Clone)]
pub enum CondTok {
    Word(Word),
    And,
    Or,
    Not,
    LParen,
    RParen,
    Lt,
    Gt,
}

#[derive(Debug, Clone)]
pub enum Compound {
    Brace(List),
    Subshell(List),
    If(Vec<(List, List)>, Option<List>),
    /// until = true for `until`
    While(bool, List, List),
    For(Vec<u8>, Option<Vec<Word>>, List),
    Case(Word, Vec<CaseItem>),
    Cond(Vec<CondTok>, u32),
}

#[derive(Debug, Clone)]
pub enum Command {
    Simple(Simple),
    Compound(Box<Compound>, Vec<Redir>),
    FuncDef(Vec<u8>, Rc<Command>),
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    And,
    Or,
}

#[derive(Debug, Clone)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(AndOrOp, Pipeline)>,
    pub background: bool,
}

#[derive(Debug, Clone, Default)]
pub struct List {
    pub items: Vec<AndOr>,
}
