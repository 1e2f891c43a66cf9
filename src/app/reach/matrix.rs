//! The reachability view's state: which protocol and port, the matrix (from the what-if when
//! it has it, else computed in the background), and the cell under the cursor.

use super::job::Job;
use super::whatif::WhatIf;
use crate::app::trace_view::Spec;
use crate::model::{Design, Protocol};
use crate::sim::reach::{self, Cell, Family, Matrix, Party, ReachOptions};
use std::sync::Arc;

/// What the port selector offers: the ports `audit` flags and the usual ones.
pub const CHOICES: &[(Protocol, Option<u16>)] = &[
    (Protocol::Tcp, Some(443)),
    (Protocol::Tcp, Some(22)),
    (Protocol::Tcp, Some(80)),
    (Protocol::Tcp, Some(3389)),
    (Protocol::Tcp, Some(3306)),
    (Protocol::Tcp, Some(5432)),
    (Protocol::Tcp, Some(1433)),
    (Protocol::Tcp, Some(6379)),
    (Protocol::Tcp, Some(27017)),
    (Protocol::Tcp, Some(8080)),
    (Protocol::Udp, Some(53)),
    (Protocol::Icmp, None),
];

/// The app's matrix: every subnet to every subnet, the internet, the services the design has
/// endpoints for or routes to, and S3 in each region the design uses even without either (the
/// service a private subnet most often needs, and the first endpoint a lab adds).
pub fn options(d: &Design, protocol: Protocol, ports: Vec<Option<u16>>) -> ReachOptions {
    options_for(d, protocol, ports, Family::Ipv4)
}

/// [`options`] for a family: IPv6 names S3 by its dual-stack name.
pub fn options_for(d: &Design, protocol: Protocol, ports: Vec<Option<u16>>, family: Family) -> ReachOptions {
    let mut destinations = reach::default_destinations_for(d, family);
    let cat = crate::model::ServiceCatalog::builtin();
    let mut regions: Vec<&str> = d.vpcs.iter().map(|v| v.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    for region in regions {
        if let Some(s3) = cat.service(region, "s3") {
            let name = match family {
                Family::Ipv4 => s3.dns_name.clone(),
                Family::Ipv6 => s3.dualstack_dns_name.clone().unwrap_or_default(),
            };
            let p = Party::Service(name.clone());
            if !name.is_empty() && !destinations.contains(&p) {
                destinations.push(p);
            }
        }
    }
    ReachOptions { sources: reach::default_sources_for(d, family), destinations, protocol, ports, family }
}

/// `tcp/443`, `icmp`.
pub fn choice_label(c: (Protocol, Option<u16>)) -> String {
    match c.1 {
        Some(p) => format!("{}/{p}", c.0),
        None => c.0.to_string(),
    }
}

/// What a matrix is of: the port choice and the family.
type Choice = (usize, Family);

/// A matrix being computed: for which revision and choice.
type Computing = (u64, Choice, Job<Result<Matrix, crate::l10n::Text>>);

/// The reachability view.
#[derive(Debug, Default)]
pub struct MatrixView {
    /// Index into [`CHOICES`].
    pub choice: usize,
    /// IPv4 or IPv6 flows (`6` toggles).
    pub family: Family,
    /// The matrix shown, the revision and choice it is of, and its port's index.
    pub shown: Option<(u64, Choice, Arc<Matrix>, usize)>,
    job: Option<Computing>,
    pub error: Option<String>,
    pub row: usize,
    pub col: usize,
}

impl MatrixView {
    /// A view on port choice `choice` with the cursor at (`row`, `col`).
    pub fn at(choice: usize, row: usize, col: usize) -> MatrixView {
        MatrixView { choice: choice.min(CHOICES.len() - 1), row, col, ..MatrixView::default() }
    }

    /// Show the other family's flows (IPv4 ⇄ IPv6).
    pub fn toggle_family(&mut self) {
        self.family = match self.family {
            Family::Ipv4 => Family::Ipv6,
            Family::Ipv6 => Family::Ipv4,
        };
    }

    /// The selected protocol and port.
    pub fn selected(&self) -> (Protocol, Option<u16>) {
        CHOICES[self.choice.min(CHOICES.len() - 1)]
    }

    /// The matrix for the design at `rev` and the selected port, if ready.
    pub fn matrix(&self) -> Option<(&Matrix, usize)> {
        self.shown.as_ref().map(|(_, _, m, p)| (m.as_ref(), *p))
    }

    /// What is being computed, for how long.
    pub fn running(&self) -> Option<std::time::Duration> {
        self.job.as_ref().map(|(_, _, j)| j.elapsed())
    }

    /// Make sure the matrix shown is of revision `rev` and the selected port: take the
    /// what-if's when it has it, else compute it in the background (from a copy of the
    /// design the what-if's snapshots give).
    pub fn ensure(&mut self, d: &Design, rev: u64, whatif: &mut WhatIf) {
        let key = (self.choice, self.family);
        let want = (rev, key);
        if self.shown.as_ref().is_some_and(|(r, c, _, _)| (*r, *c) == want) {
            return;
        }
        let (protocol, port) = self.selected();
        // The what-if keeps the IPv4 matrix.
        if let Some((m, p)) = whatif.matrix_for(rev, protocol, port).filter(|_| self.family == Family::Ipv4) {
            self.job = None;
            self.error = None;
            self.shown = Some((rev, key, m, p));
            self.clamp();
            return;
        }
        if self.job.as_ref().is_some_and(|(r, c, _)| (*r, *c) == want) {
            return;
        }
        // A copy brought up to date from one given back (the UI thread does not copy the
        // whole design).
        let design = whatif.snapshot(d);
        let family = self.family;
        let what = format!("the matrix for {}", choice_label((protocol, port)));
        self.job = Some((
            rev,
            key,
            Job::spawn(what, move || reach::compute(&design, &options_for(&design, protocol, vec![port], family))),
        ));
    }

    /// Collect a finished computation (why it failed said in `lang`).
    pub fn poll(&mut self, lang: crate::l10n::Lang) {
        let Some((_, _, job)) = self.job.as_ref() else { return };
        let Some(answer) = job.poll() else { return };
        self.take(answer, lang);
    }

    /// Wait for the computation (tests).
    pub fn finish(&mut self, limit: std::time::Duration, lang: crate::l10n::Lang) {
        let Some((_, _, job)) = self.job.as_ref() else { return };
        let Some(answer) = job.wait(limit) else { return };
        self.take(answer, lang);
    }

    /// Show a finished computation's matrix, or why there is none.
    fn take(&mut self, answer: Result<Result<Matrix, crate::l10n::Text>, String>, lang: crate::l10n::Lang) {
        let Some((rev, choice, _)) = self.job.take() else { return };
        match answer {
            Ok(Ok(m)) => {
                self.error = None;
                self.shown = Some((rev, choice, Arc::new(m), 0));
                self.clamp();
            }
            Ok(Err(e)) => self.error = Some(e.render(lang)),
            Err(e) => self.error = Some(e),
        }
    }

    fn shape(&self) -> (usize, usize) {
        self.matrix().map(|(m, _)| (m.shape().0, m.shape().1)).unwrap_or((0, 0))
    }

    fn clamp(&mut self) {
        let (rows, cols) = self.shape();
        self.row = self.row.min(rows.saturating_sub(1));
        self.col = self.col.min(cols.saturating_sub(1));
    }

    /// Move the cursor by rows and columns.
    pub fn move_by(&mut self, dr: isize, dc: isize) {
        let (rows, cols) = self.shape();
        let step = |v: usize, d: isize, n: usize| (v as isize + d).clamp(0, n.saturating_sub(1) as isize) as usize;
        self.row = step(self.row, dr, rows);
        self.col = step(self.col, dc, cols);
    }

    /// Next (+1) or previous (-1) protocol and port.
    pub fn cycle(&mut self, d: isize) {
        let n = CHOICES.len() as isize;
        self.choice = ((self.choice as isize + d).rem_euclid(n)) as usize;
    }

    /// The cell under the cursor: source label, destination label, the answer.
    pub fn current(&self) -> Option<(String, String, Cell)> {
        let (m, p) = self.matrix()?;
        let (rows, cols, _) = m.shape();
        if self.row >= rows || self.col >= cols {
            return None;
        }
        let (r, c) = (self.row, self.col);
        Some((m.source_labels[r].clone(), m.destination_labels[c].clone(), m.cell(p, r, c)))
    }

    /// The trace the cell under the cursor stands for, as the trace picker would write it
    /// (an IPv6 cell names its subnets by their IPv6 addresses). `None` when not ready or not
    /// applicable.
    pub fn spec(&self) -> Option<Spec> {
        let (m, p) = self.matrix()?;
        let (r, c) = (self.row, self.col);
        if r >= m.source_ids.len() || c >= m.destination_ids.len() {
            return None;
        }
        let (from, to) = m.trace_ends(r, c)?;
        let port = m.options.ports.get(p).copied().flatten().map(|x| x.to_string()).unwrap_or_default();
        Some(Spec { from, to, protocol: m.options.protocol.to_string(), port })
    }
}
