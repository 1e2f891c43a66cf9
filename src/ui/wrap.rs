//! Wrapping by display width. ratatui's `Paragraph` word wrapper can leave a wide character
//! (Korean, CJK) straddling the last column, where it draws over the pane's right border; these
//! lines are wrapped here instead, each row at most `width` columns wide, so a `Paragraph`
//! without its own wrapping draws them as they are.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `lines` wrapped to `width` columns: at a blank where one comes before the edge (a word that
/// does not fit goes to the next row whole), else between characters; a wide character never
/// straddles the edge. Styles, each line's style and alignment are kept; blanks are kept
/// (as `Wrap { trim: false }`), except the one a row breaks at.
pub fn lines<'a>(lines: impl IntoIterator<Item = Line<'a>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let mut out = Vec::new();
    for line in lines {
        let cells: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
            .filter(|(c, _)| *c != '\n')
            .collect();
        for row in rows(&cells, width) {
            let mut l = Line::from(spans(row));
            l.style = line.style;
            l.alignment = line.alignment;
            out.push(l);
        }
    }
    out
}

/// How many rows `lines` take at `width` columns.
pub fn line_count<'a>(ls: impl IntoIterator<Item = Line<'a>>, width: u16) -> usize {
    lines(ls, width).len()
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// The rows of one line's characters (an empty line is one empty row).
fn rows(cells: &[(char, Style)], width: usize) -> Vec<&[(char, Style)]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut used = 0;
    // Where the row may break: just after the last blank of the row so far.
    let mut brk: Option<usize> = None;
    let mut i = 0;
    while i < cells.len() {
        let (c, _) = cells[i];
        let w = char_width(c);
        if used + w <= width || used == 0 {
            used += w;
            i += 1;
            if c.is_whitespace() {
                brk = Some(i);
            }
            continue;
        }
        if c.is_whitespace() {
            // The blank the row breaks at goes with neither row.
            out.push(&cells[start..i]);
            i += 1;
            start = i;
        } else if let Some(b) = brk.filter(|&b| b > start && b < i) {
            // The blank the row breaks at goes with neither row.
            out.push(&cells[start..b - 1]);
            start = b;
        } else {
            out.push(&cells[start..i]);
            start = i;
        }
        used = cells[start..i].iter().map(|(c, _)| char_width(*c)).sum();
        brk = None;
    }
    if start < cells.len() || out.is_empty() {
        out.push(&cells[start..]);
    }
    out
}

/// Runs of one style as spans.
fn spans(row: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    for &(c, style) in row {
        match out.last_mut() {
            Some(s) if s.style == style => s.content.to_mut().push(c),
            _ => out.push(Span::styled(c.to_string(), style)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Block, Borders, Paragraph};
    use ratatui::Terminal;
    use unicode_width::UnicodeWidthStr;

    const KOREAN: [&str; 4] = [
        "단계 1/5 · 퍼블릭 서브넷의 인스턴스에서 인터넷으로 나가는 트래픽은 인터넷 게이트웨이를 거칩니다",
        "jhPrivateRT에는 0.0.0.0/0 라우팅이 없어서 패킷이 ⑤에서 삭제됩니다.abcdefghijklmnopqrstuvwxyz가나다라마바사",
        "가나다라마바사아자차카타파하가나다라마바사아자차카타파하",
        "  ✖ 인스턴스 jhPrivateEC2 (i-0003) → 인터넷:443 tcp ⇒ 삭제됨",
    ];

    /// Every width from 4 to 40 columns (a pane two columns wide inside its borders, the
    /// narrowest a wide character fits in): no row is wider than the pane, the right border is
    /// never drawn over, and no character is lost but the blanks rows break at.
    #[test]
    fn korean_rows_fit_and_keep_the_border() {
        for w in 4..40u16 {
            let ls: Vec<Line> = KOREAN.iter().map(|t| Line::raw(*t)).collect();
            let rows = lines(ls.clone(), w - 2);
            for r in &rows {
                assert!(r.width() <= usize::from(w - 2), "{w}: {r:?}");
            }
            let kept: String = rows.iter().map(|r| r.to_string()).collect::<String>().replace(' ', "");
            assert_eq!(kept, KOREAN.concat().replace(' ', ""), "{w}");
            let backend = TestBackend::new(w, 60);
            let mut term = Terminal::new(backend).expect("a terminal");
            term.draw(|f| {
                let area = Rect::new(0, 0, w, 60);
                let block = Block::default().borders(Borders::ALL);
                let inner = block.inner(area);
                f.render_widget(block, area);
                f.render_widget(Paragraph::new(lines(ls, inner.width)), inner);
            })
            .expect("drawn");
            let buf = term.backend().buffer().clone();
            for y in 1..59 {
                assert_eq!(buf[(w - 1, y)].symbol(), "│", "width {w} row {y}");
            }
        }
    }

    #[test]
    fn words_move_whole_and_styles_stay() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let l = Line::from(vec![Span::raw("라우팅 "), Span::styled("테이블", bold), Span::raw(" 없음")]);
        let rows = lines([l], 9);
        let text: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        assert_eq!(text, ["라우팅", "테이블", "없음"]);
        assert_eq!(rows[1].spans[0].style, bold);
        assert_eq!(lines([Line::raw("")], 5).len(), 1);
        assert_eq!(lines([Line::raw("ab cd")], 5)[0].to_string(), "ab cd");
        assert_eq!("가".width(), 2);
    }
}
