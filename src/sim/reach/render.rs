//! A matrix as text (a grid a person checks by eye), JSON and CSV.
//!
//! JSON is a public interface: for one port exactly
//! `{"sources":[…],"destinations":[…],"cells":[[{"verdict","code","at"}…]…]}`, and
//! `{"family":"ipv4"|"ipv6","sources":…}` when the family was asked for ([`write_json_family`]),
//! sources and destinations by id (subnet id, `internet`, service name), `code` and `at` null
//! when delivered. With several ports, an array of such objects, each with its `port` added.
//! In an IPv6 matrix a pair with a subnet that has no IPv6 block is
//! `{"verdict":"not_applicable","code":null,"at":"<that subnet's id>"}` (CSV: the same verdict
//! and `at`; text: `n/a`).

use super::{Family, Matrix};
use crate::sim::request::has_ports;
use std::collections::HashMap;
use std::io::{self, Write};

fn proto_port(m: &Matrix, port: usize) -> String {
    match m.options.ports.get(port).copied().flatten() {
        Some(p) if has_ports(m.options.protocol) => format!("{}/{p}", m.options.protocol),
        _ => m.options.protocol.to_string(),
    }
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn write_json_port(m: &Matrix, port: usize, with_port: bool, family: bool, out: &mut dyn Write) -> io::Result<()> {
    let list = |v: &[String]| v.iter().map(|s| json_str(s)).collect::<Vec<_>>().join(",");
    write!(out, "{{")?;
    if family {
        write!(out, "\"family\":\"{}\",", m.family().as_str())?;
    }
    if with_port {
        match m.options.ports.get(port).copied().flatten() {
            Some(p) => write!(out, "\"port\":{p},")?,
            None => write!(out, "\"port\":null,")?,
        }
    }
    write!(out, "\"sources\":[{}],\"destinations\":[{}],\"cells\":[", list(&m.source_ids), list(&m.destination_ids))?;
    let (rows, cols, _) = m.shape();
    for r in 0..rows {
        if r > 0 {
            write!(out, ",")?;
        }
        write!(out, "[")?;
        for c in 0..cols {
            if c > 0 {
                write!(out, ",")?;
            }
            let cell = m.cell(port, r, c);
            let code = cell.code.map_or("null".to_string(), |c| json_str(c.as_str()));
            let at = cell.at.as_ref().map_or("null".to_string(), |a| json_str(&a.id));
            write!(out, "{{\"verdict\":\"{}\",\"code\":{code},\"at\":{at}}}", cell.verdict)?;
        }
        write!(out, "]")?;
    }
    write!(out, "]}}")
}

/// The JSON form (see the module's documentation).
pub fn write_json(m: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    write_json_with(m, false, out)
}

/// The JSON form with the matrix's family at the top level (`"family":"ipv6"`).
pub fn write_json_family(m: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    write_json_with(m, true, out)
}

fn write_json_with(m: &Matrix, family: bool, out: &mut dyn Write) -> io::Result<()> {
    let n = m.options.ports.len();
    if n == 1 {
        write_json_port(m, 0, false, family, out)?;
    } else {
        write!(out, "[")?;
        for p in 0..n {
            if p > 0 {
                write!(out, ",")?;
            }
            write_json_port(m, p, true, family, out)?;
        }
        write!(out, "]")?;
    }
    writeln!(out)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One line per cell: `source,destination,protocol,port,verdict,code,at`.
pub fn write_csv(m: &Matrix, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "source,destination,protocol,port,verdict,code,at")?;
    let (rows, cols, ports) = m.shape();
    for p in 0..ports {
        let port = m.options.ports[p].map(|x| x.to_string()).unwrap_or_default();
        for r in 0..rows {
            for c in 0..cols {
                let cell = m.cell(p, r, c);
                writeln!(
                    out,
                    "{},{},{},{port},{},{},{}",
                    csv_field(&m.source_ids[r]),
                    csv_field(&m.destination_ids[c]),
                    m.options.protocol,
                    cell.verdict,
                    cell.code.map(|c| c.as_str()).unwrap_or_default(),
                    csv_field(cell.at.as_ref().map(|a| a.id.as_str()).unwrap_or_default())
                )?;
            }
        }
    }
    Ok(())
}

/// A grid per port: `ok` where delivered, a letter where dropped, the letters explained below.
pub fn write_text(m: &Matrix, lang: crate::l10n::Lang, out: &mut dyn Write) -> io::Result<()> {
    use crate::l10n::{t, tr};
    let (rows, cols, ports) = m.shape();
    let width = m.source_labels.iter().map(|s| s.chars().count()).max().unwrap_or(0).max(6);
    for p in 0..ports {
        let (delivered, dropped) = m.counts(p);
        // IPv4 keeps the header it always had; IPv6 says so, and counts the pairs it skips.
        let (family, na) = match m.family() {
            Family::Ipv4 => (String::new(), String::new()),
            Family::Ipv6 => (" (IPv6)".to_string(), t(lang, "reach-not-applicable", &[("n", &m.not_applicable())])),
        };
        let head = t(
            lang,
            "reach-head",
            &[
                ("what", &format!("{}{family}", proto_port(m, p))),
                ("rows", &rows),
                ("cols", &cols),
                ("delivered", &delivered),
                ("dropped", &dropped),
            ],
        );
        writeln!(out, "{head}{na}")?;
        let mut na_subnets: Vec<String> = Vec::new();
        let mut legend: Vec<String> = Vec::new();
        let mut letter: HashMap<String, String> = HashMap::new();
        let mut grid = Vec::with_capacity(rows);
        for r in 0..rows {
            let mut line = Vec::with_capacity(cols);
            for c in 0..cols {
                let cell = m.cell(p, r, c);
                if cell.delivered() {
                    line.push("ok".to_string());
                    continue;
                }
                if cell.is_not_applicable() {
                    if let Some(at) = &cell.at {
                        let l = at.label();
                        if !na_subnets.contains(&l) {
                            na_subnets.push(l);
                        }
                    }
                    line.push("n/a".to_string());
                    continue;
                }
                let text = cell.reason_in(lang);
                let l = letter.entry(text.clone()).or_insert_with(|| {
                    legend.push(text);
                    mark(legend.len() - 1)
                });
                line.push(l.clone());
            }
            grid.push(line);
        }
        let colw = 4;
        write!(out, "\n{:width$}", "")?;
        for c in 0..cols {
            write!(out, " {:>colw$}", format!("[{}]", c + 1))?;
        }
        writeln!(out)?;
        for (r, line) in grid.iter().enumerate() {
            write!(out, "{:width$}", m.source_labels[r])?;
            for x in line {
                write!(out, " {x:>colw$}")?;
            }
            writeln!(out)?;
        }
        writeln!(out, "\n{}", tr(lang, "reach-destinations"))?;
        for c in 0..cols {
            let (label, id) = (&m.destination_labels[c], &m.destination_ids[c]);
            if label == id {
                writeln!(out, "  [{}] {label}", c + 1)?;
            } else {
                writeln!(out, "  [{}] {label} ({id})", c + 1)?;
            }
        }
        if !legend.is_empty() {
            writeln!(out, "{}", tr(lang, "reach-dropped-legend"))?;
            for (i, text) in legend.iter().enumerate() {
                writeln!(out, "  {:>3}  {text}", mark(i))?;
            }
        }
        if !na_subnets.is_empty() {
            writeln!(out, "Not applicable (no IPv6 block, so no IPv6 flow):")?;
            writeln!(out, "  n/a  {}", na_subnets.join(", "))?;
        }
        if p + 1 < ports {
            writeln!(out)?;
        }
    }
    Ok(())
}

/// a, b, …, z, aa, ab, …
fn mark(i: usize) -> String {
    let mut n = i;
    let mut s = Vec::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn marks_count_like_spreadsheet_columns() {
        assert_eq!(super::mark(0), "a");
        assert_eq!(super::mark(25), "z");
        assert_eq!(super::mark(26), "aa");
        assert_eq!(super::mark(27), "ab");
    }
}
