//! `$(( ))`: C integer arithmetic on i64, with variables by name.

pub trait ArithEnv {
    fn get_var(&mut self, name: &[u8]) -> Result<i64, String>;
    fn set_var(&mut self, name: &[u8], v: i64) -> Result<(), String>;
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum T {
    Num(i64),
    /// A variable name: its range in the expression.
    Name(usize, usize),
    Op(&'static str),
    End,
}

const OPS: &[&str] = &[
    "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=",
    "*=", "/=", "%=", "&=", "^=", "|=", "+", "-", "*", "/", "%", "<", ">", "=", "&", "^", "|", "!",
    "~", "?", ":", "(", ")", ",",
];

fn parse_num(s: &[u8]) -> Result<i64, String> {
    let bad = || "arithmetic syntax error".to_string();
    let st = std::str::from_utf8(s).map_err(|_| bad())?;
    if let Some(h) = st.strip_prefix("0x").or_else(|| st.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16)
            .map(|v| v as i64)
            .map_err(|_| bad());
    }
    if let Some((b, d)) = st.split_once('#') {
        let base: u32 = b.parse().map_err(|_| bad())?;
        if !(2..=64).contains(&base) {
            return Err(bad());
        }
        let mut v: i64 = 0;
        for c in d.bytes() {
            let dv = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'z' => c - b'a' + 10,
                b'A'..=b'Z' => c - b'A' + if base <= 36 { 10 } else { 36 },
                b'@' => 62,
                b'_' => 63,
                _ => return Err(bad()),
            } as u32;
            if dv >= base {
                return Err(bad());
            }
            v = v.wrapping_mul(base as i64).wrapping_add(dv as i64);
        }
        return Ok(v);
    }
    if st.len() > 1 && st.starts_with('0') {
        return u64::from_str_radix(&st[1..], 8)
            .map(|v| v as i64)
            .map_err(|_| bad());
    }
    st.parse::<u64>().map(|v| v as i64).map_err(|_| bad())
}

fn lex(s: &[u8]) -> Result<Vec<T>, String> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let st = i;
            while i < s.len()
                && (s[i].is_ascii_alphanumeric() || s[i] == b'#' || s[i] == b'_' || s[i] == b'@')
            {
                i += 1;
            }
            v.push(T::Num(parse_num(&s[st..i])?));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let st = i;
            while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_') {
                i += 1;
            }
            v.push(T::Name(st, i));
            continue;
        }
        let mut found = false;
        for op in OPS {
            if s[i..].starts_with(op.as_bytes()) {
                v.push(T::Op(op));
                i += op.len();
                found = true;
                break;
            }
        }
        if !found {
            return Err("arithmetic syntax error".into());
        }
    }
    v.push(T::End);
    Ok(v)
}

struct P<'a, E: ArithEnv> {
    src: &'a [u8],
    t: Vec<T>,
    i: usize,
    env: &'a mut E,
    depth: u32,
}

/// A value, and the variable it came from (for assignment).
struct V<'a> {
    v: i64,
    name: Option<&'a [u8]>,
}

fn binprec(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "|" => 3,
        "^" => 4,
        "&" => 5,
        "==" | "!=" => 6,
        "<" | ">" | "<=" | ">=" => 7,
        "<<" | ">>" => 8,
        "+" | "-" => 9,
        "*" | "/" | "%" => 10,
        "**" => 11,
        _ => return None,
    })
}

impl<'a, E: ArithEnv> P<'a, E> {
    fn peek(&self) -> &T {
        self.t.get(self.i).unwrap_or(&T::End)
    }
    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), T::Op(x) if *x == o)
    }
    fn err<X>(&self) -> Result<X, String> {
        Err("arithmetic syntax error".into())
    }
    fn val(&mut self, v: V<'a>, ev: bool) -> Result<i64, String> {
        match v.name {
            Some(n) if ev => self.env.get_var(n),
            Some(_) => Ok(0),
            None => Ok(v.v),
        }
    }

    fn comma(&mut self, ev: bool) -> Result<i64, String> {
        let mut r = self.assign(ev)?;
        while self.is_op(",") {
            self.i += 1;
            r = self.assign(ev)?;
        }
        Ok(r)
    }

    fn assign(&mut self, ev: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("arithmetic: expression too deep".into());
        }
        let r = self.assign_inner(ev);
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self, ev: bool) -> Result<i64, String> {
        if let T::Name(a, b) = *self.peek() {
            let src = self.src;
            let n = &src[a..b];
            if let Some(T::Op(op)) = self.t.get(self.i + 1).cloned() {
                if matches!(
                    op,
                    "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "^=" | "|="
                ) {
                    self.i += 2;
                    let rhs = self.assign(ev)?;
                    if !ev {
                        return Ok(0);
                    }
                    let v = if op == "=" {
                        rhs
                    } else {
                        let cur = self.env.get_var(n)?;
                        binop(&op[..op.len() - 1], cur, rhs)?
                    };
                    self.env.set_var(n, v)?;
                    return Ok(v);
                }
            }
        }
        self.cond(ev)
    }

    fn cond(&mut self, ev: bool) -> Result<i64, String> {
        let c = self.binary(1, ev)?;
        if self.is_op("?") {
            self.i += 1;
            let a = self.comma(ev && c != 0)?;
            if !self.is_op(":") {
                return self.err();
            }
            self.i += 1;
            let b = self.assign(ev && c == 0)?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }

    fn binary(&mut self, min: u8, ev: bool) -> Result<i64, String> {
        let mut l = self.unary(ev)?;
        while let T::Op(op) = *self.peek() {
            let Some(p) = binprec(op) else { break };
            if p < min {
                break;
            }
            self.i += 1;
            if op == "&&" {
                let r = self.binary(p + 1, ev && l != 0)?;
                l = (l != 0 && r != 0) as i64;
                continue;
            }
            if op == "||" {
                let r = self.binary(p + 1, ev && l == 0)?;
                l = (l != 0 || r != 0) as i64;
                continue;
            }
            let next = if op == "**" { p } else { p + 1 };
            let r = self.binary(next, ev)?;
            l = if ev { binop(op, l, r)? } else { 0 };
        }
        Ok(l)
    }

    fn unary(&mut self, ev: bool) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("arithmetic: expression too deep".into());
        }
        let r = self.unary_inner(ev);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self, ev: bool) -> Result<i64, String> {
        match *self.peek() {
            T::Op("+") => {
                self.i += 1;
                self.unary(ev)
            }
            T::Op("-") => {
                self.i += 1;
                Ok(self.unary(ev)?.wrapping_neg())
            }
            T::Op("!") => {
                self.i += 1;
                Ok((self.unary(ev)? == 0) as i64)
            }
            T::Op("~") => {
                self.i += 1;
                Ok(!self.unary(ev)?)
            }
            T::Op(o @ ("++" | "--")) => {
                self.i += 1;
                let T::Name(a, b) = *self.peek() else {
                    return self.err();
                };
                let src = self.src;
                let n = &src[a..b];
                self.i += 1;
                if !ev {
                    return Ok(0);
                }
                let v = self.env.get_var(n)?;
                let nv = if o == "++" {
                    v.wrapping_add(1)
                } else {
                    v.wrapping_sub(1)
                };
                self.env.set_var(n, nv)?;
                Ok(nv)
            }
            _ => {
                let p = self.primary(ev)?;
                if let (Some(n), T::Op(o @ ("++" | "--"))) = (&p.name, *self.peek()) {
                    self.i += 1;
                    if !ev {
                        return Ok(0);
                    }
                    let v = self.env.get_var(n)?;
                    let nv = if o == "++" {
                        v.wrapping_add(1)
                    } else {
                        v.wrapping_sub(1)
                    };
                    self.env.set_var(n, nv)?;
                    return Ok(v);
                }
                self.val(p, ev)
            }
        }
    }

    fn primary(&mut self, ev: bool) -> Result<V<'a>, String> {
        match *self.peek() {
            T::Num(n) => {
                self.i += 1;
                Ok(V { v: n, name: None })
            }
            T::Name(a, b) => {
                self.i += 1;
                let src = self.src;
                Ok(V {
                    v: 0,
                    name: Some(&src[a..b]),
                })
            }
            T::Op("(") => {
                self.i += 1;
                let v = self.comma(ev)?;
                if !self.is_op(")") {
                    return self.err();
                }
                self.i += 1;
                Ok(V { v, name: None })
            }
            _ => self.err(),
        }
    }
}

fn binop(op: &str, l: i64, r: i64) -> Result<i64, String> {
    Ok(match op {
        "+" => l.wrapping_add(r),
        "-" => l.wrapping_sub(r),
        "*" => l.wrapping_mul(r),
        "/" | "%" => {
            if r == 0 {
                return Err("divide by zero".into());
            }
            if op == "/" {
                l.wrapping_div(r)
            } else {
                l.wrapping_rem(r)
            }
        }
        "**" => {
            if r < 0 {
                return Err("exponent less than 0".into());
            }
            let mut v: i64 = 1;
            for _ in 0..r.min(64) {
                v = v.wrapping_mul(l);
            }
            if r > 64 && l.abs() > 1 {
                0
            } else if r > 64 {
                l.pow((r % 2) as u32)
            } else {
                v
            }
        }
        "<<" => l.wrapping_shl(r as u32),
        ">>" => l.wrapping_shr(r as u32),
        "<" => (l < r) as i64,
        ">" => (l > r) as i64,
        "<=" => (l <= r) as i64,
        ">=" => (l >= r) as i64,
        "==" => (l == r) as i64,
        "!=" => (l != r) as i64,
        "&" => l & r,
        "^" => l ^ r,
        "|" => l | r,
        _ => return Err("arithmetic syntax error".into()),
    })
}

/// Evaluates an expression (already expanded) against `env`.
pub fn eval<E: ArithEnv>(s: &[u8], env: &mut E) -> Result<i64, String> {
    let t = lex(s)?;
    if t.len() == 1 {
        return Ok(0);
    }
    let mut p = P {
        src: s,
        t,
        i: 0,
        env,
        depth: 0,
    };
    let v = p.comma(true)?;
    if p.peek() != &T::End {
        return p.err();
    }
    Ok(v)
}

/// A variable's value as a number (empty is 0).
pub fn var_value(s: &[u8]) -> Result<i64, String> {
    let t = s.trim_ascii();
    if t.is_empty() {
        return Ok(0);
    }
    let (neg, d) = match t[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let v = parse_num(d).map_err(|_| {
        format!(
            "{}: expression recursion loop detected",
            String::from_utf8_lossy(s)
        )
    })?;
    Ok(if neg { v.wrapping_neg() } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<Vec<u8>, i64>);
    impl ArithEnv for M {
        fn get_var(&mut self, n: &[u8]) -> Result<i64, String> {
            Ok(*self.0.get(n).unwrap_or(&0))
        }
        fn set_var(&mut self, n: &[u8], v: i64) -> Result<(), String> {
            self.0.insert(n.to_vec(), v);
            Ok(())
        }
    }

    fn e(s: &str) -> Result<i64, String> {
        let mut m = M(HashMap::new());
        m.0.insert(b"x".to_vec(), 5);
        eval(s.as_bytes(), &mut m)
    }

    #[test]
    fn operators() {
        assert_eq!(e("1+2*3"), Ok(7));
        assert_eq!(e("(1+2)*3"), Ok(9));
        assert_eq!(e("7/2"), Ok(3));
        assert_eq!(e("-7%3"), Ok(-1));
        assert_eq!(e("1<<4|1"), Ok(17));
        assert_eq!(e("x++ + x"), Ok(11));
        assert_eq!(e("++x"), Ok(6));
        assert_eq!(e("x+=2, x*2"), Ok(14));
        assert_eq!(e("0 && 1/0"), Ok(0));
        assert_eq!(e("1 || 1/0"), Ok(1));
        assert_eq!(e("x > 3 ? 10 : 20"), Ok(10));
        assert_eq!(e("0x10 + 010 + 2#101"), Ok(16 + 8 + 5));
        assert_eq!(e("!0 + ~0"), Ok(0));
        assert_eq!(e("2**10"), Ok(1024));
        assert!(e("1/0").is_err());
        assert!(e("1 +").is_err());
        assert_eq!(e(""), Ok(0));
        assert_eq!(e("9223372036854775807 + 1"), Ok(i64::MIN));
    }
}
