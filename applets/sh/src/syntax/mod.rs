//! The parser: reads one complete command at a time (so an alias defined on one line applies
//! to the next, and junk after `exit` is never parsed) and builds the tree in [`ast`].

pub mod ast;
pub mod input;
pub mod lex;

use ast::*;
use input::Input;
use lex::{is_name, Op, Tok};
use std::collections::HashMap;
use std::rc::Rc;

pub type Aliases = Rc<HashMap<Vec<u8>, Vec<u8>>>;

#[derive(Debug)]
pub struct SyntaxError {
    pub msg: String,
    pub line: u32,
}

pub type PResult<T> = Result<T, SyntaxError>;

/// Nesting beyond this is refused with an error rather than overflowing the stack.
const MAX_DEPTH: u32 = 200;

pub struct Parser {
    pub input: Input,
    peeked: Option<Tok>,
    pending: Vec<(Rc<HereDoc>, Vec<u8>, bool)>,
    pub aliases: Aliases,
    depth: u32,
    alias_count: u32,
}

fn kw(t: &Tok) -> Option<&[u8]> {
    match t {
        Tok::Word(w) => w.as_lit(),
        _ => None,
    }
}

fn is_terminator(t: &Tok) -> bool {
    match t {
        Tok::Eof | Tok::Op(Op::RParen) | Tok::Op(Op::DSemi) | Tok::Op(Op::SemiAmp) => true,
        Tok::Word(w) => matches!(
            w.as_lit(),
            Some(b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}")
        ),
        _ => false,
    }
}

impl Parser {
    pub fn new(input: Input) -> Parser {
        Parser {
            input,
            peeked: None,
            pending: Vec::new(),
            aliases: Rc::new(HashMap::new()),
            depth: 0,
            alias_count: 0,
        }
    }

    /// After ^C at a prompt: forget the partial command (and the Eof token it ended with).
    pub fn reset(&mut self) {
        self.peeked = None;
        self.pending.clear();
        self.depth = 0;
        #[cfg(feature = "interactive")]
        self.input.reset_after_interrupt();
    }

    /// A prompt string as a word for parameter, command and arithmetic expansion (ash's
    /// PS1 syntax): as a here-document body, except that `\$` stays `\$` for the prompt
    /// escapes that follow. None when the text does not parse (then it is shown as is).
    pub fn parse_prompt(text: &[u8]) -> Option<Word> {
        let mut t = Vec::with_capacity(text.len() + 4);
        let mut i = 0;
        while i < text.len() {
            if text[i] == b'\\' && i + 1 < text.len() {
                if text[i + 1] == b'$' {
                    t.extend_from_slice(b"\\\\\\$");
                } else {
                    t.extend_from_slice(&text[i..i + 2]);
                }
                i += 2;
            } else {
                t.push(text[i]);
                i += 1;
            }
        }
        let mut p = Parser::new(Input::mem(t));
        let parts = p.parse_parts(lex::Ctx::Heredoc).ok()?;
        Some(Word { parts })
    }

    fn sub_parser(&self, text: Vec<u8>) -> Parser {
        let mut p = Parser::new(Input::mem(text));
        p.input.line = self.input.line;
        p.aliases = self.aliases.clone();
        p.depth = self.depth;
        p
    }

    pub fn error(&self, msg: String) -> SyntaxError {
        SyntaxError {
            msg,
            line: self.input.line,
        }
    }

    fn unexpected(&self, t: &Tok, expecting: Option<&str>) -> SyntaxError {
        let mut m = format!(
            "syntax error: unexpected {}",
            match t {
                Tok::Newline | Tok::Eof => t.describe(),
                _ => format!("\"{}\"", t.describe()),
            }
        );
        if let (Some(e), Tok::Eof) = (expecting, t) {
            m.push_str(&format!(" (expecting \"{e}\")"));
        }
        self.error(m)
    }

    pub(super) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("syntax error: nesting too deep".into()));
        }
        Ok(())
    }

    fn peek(&mut self) -> PResult<&Tok> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.as_ref().unwrap_or(&Tok::Eof))
    }

    fn take(&mut self) -> PResult<Tok> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while let Tok::Newline = self.peek()? {
            self.take()?;
        }
        Ok(())
    }

    fn expect_kw(&mut self, w: &str) -> PResult<()> {
        let t = self.take()?;
        if kw(&t) == Some(w.as_bytes()) {
            Ok(())
        } else {
            Err(self.unexpected(&t, Some(w)))
        }
    }

    /// Replaces an alias in command position by its text; returns true if it did.
    fn try_alias(&mut self) -> PResult<bool> {
        if self.aliases.is_empty() {
            return Ok(false);
        }
        let name = match self.peek()? {
            Tok::Word(w) => match w.as_lit() {
                Some(n) => n.to_vec(),
                None => return Ok(false),
            },
            _ => return Ok(false),
        };
        if self.input.alias_active(&name) || self.alias_count > 1000 {
            return Ok(false);
        }
        let text = match self.aliases.get(&name) {
            Some(t) => t.clone(),
            None => return Ok(false),
        };
        self.alias_count += 1;
        self.peeked = None;
        self.input.push_alias(&name, &text);
        Ok(true)
    }

    /// The next complete command (up to a newline), or None at end of input.
    pub fn next_command(&mut self) -> PResult<Option<List>> {
        self.alias_count = 0;
        // Blank and comment lines before a command are no command: prompt PS1 again.
        while let Tok::Newline = self.peek()? {
            self.take()?;
            self.input.at_start = true;
        }
        if let Tok::Eof = self.peek()? {
            return Ok(None);
        }
        let mut list = List::default();
        loop {
            let mut ao = self.and_or()?;
            match self.peek()? {
                Tok::Op(Op::Amp) | Tok::Op(Op::Semi) => {
                    if let Tok::Op(Op::Amp) = self.take()? {
                        ao.background = true;
                    }
                    list.items.push(ao);
                    match self.peek()? {
                        Tok::Newline => {
                            self.take()?;
                            break;
                        }
                        Tok::Eof => break,
                        _ => {}
                    }
                }
                Tok::Newline => {
                    self.take()?;
                    list.items.push(ao);
                    break;
                }
                Tok::Eof => {
                    list.items.push(ao);
                    break;
                }
                t => {
                    let t = t.clone();
                    return Err(self.unexpected(&t, None));
                }
            }
        }
        if !self.pending.is_empty() {
            self.read_heredocs()?;
        }
        Ok(Some(list))
    }

    /// The whole input as one list (command substitution by backquotes, `eval` text).
    pub fn parse_all(&mut self) -> PResult<List> {
        let mut all = List::default();
        while let Some(l) = self.next_command()? {
            all.items.extend(l.items);
        }
        Ok(all)
    }

    /// A compound list that must not be empty (if, while, for, braces, subshells).
    fn compound_list_req(&mut self, expecting: &str) -> PResult<List> {
        let l = self.compound_list()?;
        if l.items.is_empty() {
            let t = self.peek()?.clone();
            return Err(self.unexpected(&t, Some(expecting)));
        }
        Ok(l)
    }

    fn compound_list(&mut self) -> PResult<List> {
        let mut list = List::default();
        self.skip_newlines()?;
        loop {
            if is_terminator(self.peek()?) {
                break;
            }
            let mut ao = self.and_or()?;
            match self.peek()? {
                Tok::Op(Op::Amp) => {
                    self.take()?;
                    ao.background = true;
                }
                Tok::Op(Op::Semi) | Tok::Newline => {
                    self.take()?;
                }
                _ => {
                    list.items.push(ao);
                    break;
                }
            }
            list.items.push(ao);
            self.skip_newlines()?;
        }
        Ok(list)
    }

    fn and_or(&mut self) -> PResult<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek()? {
                Tok::Op(Op::AndIf) => AndOrOp::And,
                Tok::Op(Op::OrIf) => AndOrOp::Or,
                _ => break,
            };
            self.take()?;
            self.skip_newlines()?;
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn pipeline(&mut self) -> PResult<Pipeline> {
        let mut bang = false;
        while kw(self.peek()?) == Some(b"!") {
            self.take()?;
            bang = !bang;
        }
        let mut cmds = vec![self.command()?];
        while let Tok::Op(Op::Pipe) = self.peek()? {
            self.take()?;
            self.skip_newlines()?;
            cmds.push(self.command()?);
        }
        Ok(Pipeline { bang, cmds })
    }

    fn command(&mut self) -> PResult<Command> {
        self.enter()?;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    fn command_inner(&mut self) -> PResult<Command> {
        loop {
            let t = self.peek()?;
            let c = match t {
                Tok::Op(Op::LParen) => {
                    self.take()?;
                    let l = self.compound_list_req(")")?;
                    match self.take()? {
                        Tok::Op(Op::RParen) => {}
                        t => return Err(self.unexpected(&t, Some(")"))),
                    }
                    Compound::Subshell(l)
                }
                Tok::Word(w) => match w.as_lit() {
                    Some(b"{") => {
                        self.take()?;
                        let l = self.compound_list_req("}")?;
                        self.expect_kw("}")?;
                        Compound::Brace(l)
                    }
                    Some(b"if") => self.if_clause()?,
                    Some(b"while") => self.while_clause(false)?,
                    Some(b"until") => self.while_clause(true)?,
                    Some(b"for") => self.for_clause()?,
                    Some(b"case") => self.case_clause()?,
                    Some(b"[[") => self.cond_clause()?,
                    Some(b"function") => return self.function_kw(),
                    Some(
                        b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}"
                        | b"in",
                    ) => {
                        let t = t.clone();
                        return Err(self.unexpected(&t, None));
                    }
                    _ => {
                        if self.try_alias()? {
                            continue;
                        }
                        return self.simple();
                    }
                },
                Tok::IoNum(_) | Tok::Op(Op::Redir(..)) => return self.simple(),
                t => {
                    let t = t.clone();
                    return Err(self.unexpected(&t, None));
                }
            };
            let redirs = self.redirs()?;
            return Ok(Command::Compound(Box::new(c), redirs));
        }
    }

    fn redirs(&mut self) -> PResult<Vec<Redir>> {
        let mut v = Vec::new();
        while let Tok::IoNum(_) | Tok::Op(Op::Redir(..)) = self.peek()? {
            v.push(self.redirect()?);
        }
        Ok(v)
    }

    fn redirect(&mut self) -> PResult<Redir> {
        let mut fd = -1;
        let mut t = self.take()?;
        if let Tok::IoNum(n) = t {
            fd = n;
            t = self.take()?;
        }
        let (op, dash) = match t {
            Tok::Op(Op::Redir(op, dash)) => (op, dash),
            t => return Err(self.unexpected(&t, None)),
        };
        if fd < 0 {
            fd = match op {
                ROp::In | ROp::ReadWrite | ROp::DupIn | ROp::Here | ROp::HereStr => 0,
                _ => 1,
            };
        }
        let target = match self.take()? {
            Tok::Word(w) => w,
            t => return Err(self.unexpected(&t, None)),
        };
        let mut here = None;
        if op == ROp::Here {
            let mut delim = Vec::new();
            let quoted = lex::flat(&target.parts, &mut delim);
            let doc = Rc::new(HereDoc {
                body: Default::default(),
                quoted,
            });
            self.pending.push((doc.clone(), delim, dash));
            here = Some(doc);
        }
        Ok(Redir {
            fd,
            op,
            target,
            here,
        })
    }

    fn simple(&mut self) -> PResult<Command> {
        let line = self.input.line;
        self.input.alias_blank = false;
        let mut s = Simple {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            match self.peek()? {
                Tok::IoNum(_) | Tok::Op(Op::Redir(..)) => {
                    let r = self.redirect()?;
                    s.redirs.push(r);
                }
                Tok::Word(_) => {
                    if s.words.is_empty() && !s.assigns.is_empty() && self.try_alias()? {
                        continue;
                    }
                    if !s.words.is_empty()
                        && std::mem::take(&mut self.input.alias_blank)
                        && self.try_alias()?
                    {
                        continue;
                    }
                    let w = match self.take()? {
                        Tok::Word(w) => w,
                        _ => break,
                    };
                    if s.words.is_empty() {
                        if let Some(a) = as_assign(&w) {
                            s.assigns.push(a);
                            continue;
                        }
                        if s.assigns.is_empty() && s.redirs.is_empty() {
                            if let Some(n) = w.as_lit() {
                                if let Tok::Op(Op::LParen) = self.peek()? {
                                    if !is_name(n) {
                                        let t = Tok::Op(Op::LParen);
                                        return Err(self.unexpected(&t, None));
                                    }
                                    let n = n.to_vec();
                                    self.take()?;
                                    match self.take()? {
                                        Tok::Op(Op::RParen) => {}
                                        t => return Err(self.unexpected(&t, Some(")"))),
                                    }
                                    return self.function_body(n);
                                }
                            }
                        }
                    }
                    s.words.push(w);
                }
                _ => break,
            }
        }
        Ok(Command::Simple(s))
    }

    fn function_kw(&mut self) -> PResult<Command> {
        self.take()?;
        let name = match self.take()? {
            Tok::Word(w) => match w.as_lit() {
                Some(n) => n.to_vec(),
                None => return Err(self.unexpected(&Tok::Word(w.clone()), None)),
            },
            t => return Err(self.unexpected(&t, None)),
        };
        if let Tok::Op(Op::LParen) = self.peek()? {
            self.take()?;
            match self.take()? {
                Tok::Op(Op::RParen) => {}
                t => return Err(self.unexpected(&t, Some(")"))),
            }
        }
        self.function_body(name)
    }

    fn function_body(&mut self, name: Vec<u8>) -> PResult<Command> {
        self.skip_newlines()?;
        let body = self.command()?;
        if let Command::Simple(_) = body {
            return Err(self.error("syntax error: function body must be a compound command".into()));
        }
        Ok(Command::FuncDef(name, Rc::new(body)))
    }

    fn if_clause(&mut self) -> PResult<Compound> {
        self.take()?;
        let mut arms = Vec::new();
        let mut els = None;
        loop {
            let cond = self.compound_list_req("then")?;
            self.expect_kw("then")?;
            let body = self.compound_list_req("fi")?;
            arms.push((cond, body));
            let t = self.take()?;
            match kw(&t) {
                Some(b"elif") => continue,
                Some(b"else") => {
                    els = Some(self.compound_list_req("fi")?);
                    self.expect_kw("fi")?;
                    break;
                }
                Some(b"fi") => break,
                _ => return Err(self.unexpected(&t, Some("fi"))),
            }
        }
        Ok(Compound::If(arms, els))
    }

    fn while_clause(&mut self, until: bool) -> PResult<Compound> {
        self.take()?;
        let cond = self.compound_list_req("do")?;
        self.expect_kw("do")?;
        let body = self.compound_list_req("done")?;
        self.expect_kw("done")?;
        Ok(Compound::While(until, cond, body))
    }

    fn for_clause(&mut self) -> PResult<Compound> {
        self.take()?;
        let name = match self.take()? {
            Tok::Word(w) => match w.as_lit() {
                Some(n) if is_name(n) => n.to_vec(),
                _ => return Err(self.error("syntax error: bad for loop variable".into())),
            },
            t => return Err(self.unexpected(&t, None)),
        };
        self.skip_newlines()?;
        let mut words = None;
        if kw(self.peek()?) == Some(b"in") {
            self.take()?;
            let mut v = Vec::new();
            loop {
                match self.take()? {
                    Tok::Word(w) => v.push(w),
                    Tok::Newline | Tok::Op(Op::Semi) => break,
                    t => return Err(self.unexpected(&t, Some("do"))),
                }
            }
            words = Some(v);
        } else if let Tok::Op(Op::Semi) = self.peek()? {
            self.take()?;
        }
        self.skip_newlines()?;
        self.expect_kw("do")?;
        let body = self.compound_list_req("done")?;
        self.expect_kw("done")?;
        Ok(Compound::For(name, words, body))
    }

    fn case_clause(&mut self) -> PResult<Compound> {
        self.take()?;
        let word = match self.take()? {
            Tok::Word(w) => w,
            t => return Err(self.unexpected(&t, None)),
        };
        self.skip_newlines()?;
        self.expect_kw("in")?;
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if kw(self.peek()?) == Some(b"esac") {
                self.take()?;
                break;
            }
            if let Tok::Op(Op::LParen) = self.peek()? {
                self.take()?;
            }
            let mut pats = Vec::new();
            loop {
                match self.take()? {
                    Tok::Word(w) => pats.push(w),
                    t => return Err(self.unexpected(&t, Some(")"))),
                }
                match self.take()? {
                    Tok::Op(Op::Pipe) => continue,
                    Tok::Op(Op::RParen) => break,
                    t => return Err(self.unexpected(&t, Some(")"))),
                }
            }
            let body = self.compound_list()?;
            let mut fallthrough = false;
            match self.peek()? {
                Tok::Op(Op::DSemi) => {
                    self.take()?;
                }
                Tok::Op(Op::SemiAmp) => {
                    self.take()?;
                    fallthrough = true;
                }
                _ => {
                    items.push(CaseItem {
                        pats,
                        body,
                        fallthrough,
                    });
                    self.skip_newlines()?;
                    self.expect_kw("esac")?;
                    break;
                }
            }
            items.push(CaseItem {
                pats,
                body,
                fallthrough,
            });
        }
        Ok(Compound::Case(word, items))
    }

    fn cond_clause(&mut self) -> PResult<Compound> {
        let line = self.input.line;
        self.take()?;
        let mut toks = Vec::new();
        loop {
            let t = self.take()?;
            let ct = match t {
                Tok::Word(ref w) if w.as_lit() == Some(b"]]") => break,
                Tok::Word(ref w) if w.as_lit() == Some(b"!") => CondTok::Not,
                Tok::Word(w) => CondTok::Word(w),
                Tok::Op(Op::AndIf) => CondTok::And,
                Tok::Op(Op::OrIf) => CondTok::Or,
                Tok::Op(Op::LParen) => CondTok::LParen,
                Tok::Op(Op::RParen) => CondTok::RParen,
                Tok::Op(Op::Redir(ROp::In, _)) => CondTok::Lt,
                Tok::Op(Op::Redir(ROp::Out, _)) => CondTok::Gt,
                Tok::Newline => continue,
                t => return Err(self.unexpected(&t, Some("]]"))),
            };
            toks.push(ct);
        }
        Ok(Compound::Cond(toks, line))
    }
}

/// `NAME=value` at the start of a word.
pub fn as_assign(w: &Word) -> Option<Assign> {
    let first = match w.parts.first() {
        Some(Part::Lit(s)) => s,
        _ => return None,
    };
    let eq = first.iter().position(|&c| c == b'=')?;
    if !is_name(&first[..eq]) {
        return None;
    }
    let mut parts = Vec::with_capacity(w.parts.len());
    if eq + 1 < first.len() {
        parts.push(Part::Lit(first[eq + 1..].to_vec()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    Some(Assign {
        name: first[..eq].to_vec(),
        value: Word {
            parts: parts.into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> PResult<List> {
        Parser::new(Input::mem(s.as_bytes().to_vec())).parse_all()
    }

    #[test]
    fn parses_grammar() {
        for s in [
            "echo a b",
            "a=1 b=2 cmd >x 2>&1 <y",
            "if a; then b; elif c; then d; else e; fi",
            "while a; do b; done; until a; do b; done",
            "for i in 1 2 3; do echo $i; done",
            "for i do echo; done",
            "case x in a|b) echo;; (c) ;& *) esac",
            "f() { echo; }; function g { :; }",
            "! a | b && c || d &",
            "echo $(echo $(echo x)) `echo y` $((1+2*3))",
            "cat <<EOF\nhello $x\nEOF\n",
            "echo ${a:-b} ${#a} ${a%%x*} ${a/b/c} ${a:1:2}",
            "[[ a == b && -f x ]]",
        ] {
            assert!(parse(s).is_ok(), "{s}: {:?}", parse(s));
        }
    }

    #[test]
    fn syntax_errors() {
        for s in [
            "if then",
            "echo (",
            "case x in",
            "{ echo",
            "echo 'x",
            "f() echo",
        ] {
            assert!(parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "(".repeat(100000);
        assert!(parse(&s).is_err());
        let s = "$(".repeat(100000);
        assert!(parse(&s).is_err());
        let s = "${a:-".repeat(100000);
        assert!(parse(&s).is_err());
        let s = "\"$(".repeat(100000);
        assert!(parse(&s).is_err());
        let s = "`".repeat(99) + &"\\`".repeat(1000);
        let _ = parse(&s);
    }
}
