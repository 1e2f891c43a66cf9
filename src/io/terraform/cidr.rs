//! Terraform's CIDR functions — `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask` — for
//! IPv4 and IPv6, with Terraform's errors for bits that do not fit.

use super::error::{TfError, TfResult};
use super::functions::Env;
use super::value::Value;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn err(env: &Env, msg: impl Into<crate::l10n::Text>) -> TfError {
    TfError::dynamic(Some(env.pos), msg)
}

/// (address as a number, prefix length, address bits) of a CIDR string.
fn parse(env: &Env, v: &Value) -> TfResult<(u128, u32, u32)> {
    let text = v.as_str().ok_or_else(|| err(env, crate::text!("a CIDR string is required, not {}", v.type_name())))?;
    let (addr, len) =
        text.split_once('/').ok_or_else(|| err(env, crate::text!("\"{text}\" is not a CIDR (no /length)")))?;
    let ip: IpAddr = addr.parse().map_err(|_| err(env, crate::text!("\"{text}\" is not a CIDR address")))?;
    let bits = if ip.is_ipv4() { 32 } else { 128 };
    let len: u32 = len
        .parse()
        .ok()
        .filter(|l| *l <= bits)
        .ok_or_else(|| err(env, crate::text!("\"{text}\" has a bad prefix length")))?;
    let n = match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    };
    Ok((n, len, bits))
}

fn mask(bits: u32, len: u32) -> u128 {
    if len == 0 {
        0
    } else {
        let all = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
        all & !((1u128 << (bits - len)) - 1).min(all)
    }
}

fn show(n: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(n as u32).to_string()
    } else {
        Ipv6Addr::from(n).to_string()
    }
}

fn whole(env: &Env, v: &Value) -> TfResult<i128> {
    let x = v.to_num().ok_or_else(|| err(env, crate::text!("a number is required, not {}", v.type_name())))?;
    if x.fract() != 0.0 {
        return Err(err(env, crate::text!("a whole number is required")));
    }
    Ok(x as i128)
}

fn subnet(env: &Env, base: (u128, u32, u32), newbits: i128, netnum: i128) -> TfResult<(u128, u32)> {
    let (addr, len, bits) = base;
    let newlen = len as i128 + newbits;
    if newbits < 0 || newlen > bits as i128 {
        return Err(err(
            env,
            crate::text!("cannot extend a /{len} prefix by {newbits} bits (at most {} for this family)", bits - len),
        ));
    }
    let newlen = newlen as u32;
    if netnum < 0 || newbits < 128 && (netnum as u128) >= (1u128 << newbits) {
        return Err(err(env, crate::text!("network number {netnum} does not fit in {newbits} bits")));
    }
    let network = addr & mask(bits, len);
    let shift = bits - newlen;
    let n = if shift >= 128 { 0 } else { (netnum as u128) << shift };
    Ok((network | n, newlen))
}

/// Call a CIDR function, or `None` when `name` is not one.
pub fn call(name: &str, a: &[Value], env: &mut Env) -> TfResult<Option<Value>> {
    let arg = |i: usize| {
        a.get(i)
            .ok_or_else(|| TfError::fatal(Some(env.pos), crate::text!("{name}() needs at least {} argument(s)", i + 1)))
    };
    Ok(Some(match name {
        "cidrsubnet" => {
            let base = parse(env, arg(0)?)?;
            let (net, len) = subnet(env, base, whole(env, arg(1)?)?, whole(env, arg(2)?)?)?;
            Value::str(format!("{}/{len}", show(net, base.2)))
        }
        "cidrsubnets" => {
            let base = parse(env, arg(0)?)?;
            let (addr, len, bits) = base;
            let mut next = addr & mask(bits, len);
            let end = next.saturating_add(if bits - len >= 128 { u128::MAX } else { (1u128 << (bits - len)) - 1 });
            let mut out = Vec::new();
            for nb in &a[1..] {
                let newbits = whole(env, nb)?;
                let newlen = len as i128 + newbits;
                if newbits < 1 || newlen > bits as i128 {
                    return Err(err(env, crate::text!("cannot extend a /{len} prefix by {newbits} bits")));
                }
                let size = 1u128 << (bits - newlen as u32).min(127);
                // Align up to the next block of this size.
                let start = next.div_ceil(size).saturating_mul(size);
                if start > end || start.saturating_add(size - 1) > end {
                    return Err(err(env, crate::text!("not enough room in the prefix for all the requested subnets")));
                }
                out.push(Value::str(format!("{}/{newlen}", show(start, bits))));
                next = start + size;
            }
            Value::list(out)
        }
        "cidrhost" => {
            let (addr, len, bits) = parse(env, arg(0)?)?;
            let host = whole(env, arg(1)?)?;
            let size: i128 = if bits - len >= 127 { i128::MAX } else { 1i128 << (bits - len) };
            let k = if host < 0 { size + host } else { host };
            if k < 0 || k >= size {
                return Err(err(env, crate::text!("host number {host} does not fit in a /{len} prefix")));
            }
            Value::str(show((addr & mask(bits, len)) + k as u128, bits))
        }
        "cidrnetmask" => {
            let (_, len, bits) = parse(env, arg(0)?)?;
            if bits != 32 {
                return Err(err(env, crate::text!("cidrnetmask() works only on IPv4 prefixes")));
            }
            Value::str(show(mask(32, len), 32))
        }
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::terraform::error::Pos;
    use crate::io::terraform::limits::{Budget, Limits};

    fn run(name: &str, args: Vec<Value>) -> TfResult<Value> {
        let mut b = Budget::new(Limits::default());
        let mut env = Env { budget: &mut b, pos: Pos::default(), dir: Default::default() };
        call(name, &args, &mut env).map(|v| v.unwrap())
    }

    #[test]
    fn terraform_examples() {
        let s = Value::str;
        let num = |x: f64| Value::Num(x);
        assert_eq!(run("cidrsubnet", vec![s("172.16.0.0/12"), num(4.0), num(2.0)]).unwrap(), s("172.18.0.0/16"));
        assert_eq!(run("cidrsubnet", vec![s("10.1.2.0/24"), num(4.0), num(15.0)]).unwrap(), s("10.1.2.240/28"));
        assert_eq!(
            run("cidrsubnet", vec![s("fd00:fd12:3456:7890::/56"), num(16.0), num(162.0)]).unwrap(),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(run("cidrhost", vec![s("10.12.112.0/20"), num(16.0)]).unwrap(), s("10.12.112.16"));
        assert_eq!(run("cidrhost", vec![s("10.12.112.0/20"), num(268.0)]).unwrap(), s("10.12.113.12"));
        assert_eq!(run("cidrhost", vec![s("10.0.0.0/24"), num(-2.0)]).unwrap(), s("10.0.0.254"));
        assert_eq!(run("cidrnetmask", vec![s("172.16.0.0/12")]).unwrap(), s("255.240.0.0"));
        let got = run("cidrsubnets", vec![s("10.1.0.0/16"), num(4.0), num(4.0), num(8.0), num(4.0)]).unwrap();
        let want: Vec<Value> =
            ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"].iter().map(|x| s(x)).collect();
        assert_eq!(got, Value::list(want));
        assert!(run("cidrsubnet", vec![s("10.0.0.0/24"), num(9.0), num(0.0)]).is_err());
        assert!(run("cidrsubnet", vec![s("10.0.0.0/24"), num(2.0), num(4.0)]).is_err());
        assert!(run("cidrsubnet", vec![s("nonsense"), num(2.0), num(0.0)]).is_err());
    }
}
