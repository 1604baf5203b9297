//! The printable proof (`Accept: application/pdf`) for people without digital access: one or two
//! A4 pages with the newcomer, activity, organisation, contact person, every line, the total,
//! the signature status — and, while unsigned, a box to sign on paper — plus the request's trace
//! id on every page. Written with `pdf-writer` and the standard Helvetica font (nothing to embed),
//! so text outside Windows-1252 prints as `?`.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// What the printed proof shows, already as text.
#[derive(Clone, Debug, Default)]
pub struct Afdruk {
    pub id: i64,
    pub inburgeraar: String,
    pub activiteit: String,
    pub aanbodtype: String,
    pub organisatie: String,
    pub contactpersoon: String,
    /// (date, hours, description) per line.
    pub prestaties: Vec<(String, String, String)>,
    pub totaal: String,
    pub status: String,
    /// Signature, refusal and review, one text each.
    pub verloop: Vec<String>,
    /// Whether to print the box for a signature on paper.
    pub handtekeningvak: bool,
    pub trace_id: String,
    pub gemaakt_op: String,
    pub adres: String,
}

const BREEDTE: f32 = 595.0;
const HOOGTE: f32 = 842.0;
const LINKS: f32 = 50.0;
const RECHTS: f32 = BREEDTE - 50.0;
const BOVEN: f32 = HOOGTE - 50.0;
/// The footer lives below this line.
const ONDER: f32 = 70.0;
/// Room the closing part (total, signature, review) needs.
const SLOT: f32 = 150.0;

const F_REGULIER: Name<'static> = Name(b"F1");
const F_VET: Name<'static> = Name(b"F2");

/// Unicode to Windows-1252 (the `WinAnsiEncoding` of the standard fonts); anything else is `?`.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c as u32 {
            0x20..=0x7e | 0xa0..=0xff => c as u32 as u8,
            _ => match c {
                '€' => 0x80,
                '‚' => 0x82,
                '„' => 0x84,
                '…' => 0x85,
                'Š' => 0x8a,
                'Œ' => 0x8c,
                'Ž' => 0x8e,
                '‘' => 0x91,
                '’' => 0x92,
                '“' => 0x93,
                '”' => 0x94,
                '•' => 0x95,
                '–' => 0x96,
                '—' => 0x97,
                'š' => 0x9a,
                'œ' => 0x9c,
                'ž' => 0x9e,
                'Ÿ' => 0x9f,
                '\t' | '\n' | '\r' => b' ',
                _ => b'?',
            },
        })
        .collect()
}

/// At most `max` characters, with an ellipsis when cut.
fn kort(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Word-wraps to lines of about `breedte` characters, at most `max_regels` of them.
fn omloop(s: &str, breedte: usize, max_regels: usize) -> Vec<String> {
    let mut regels: Vec<String> = Vec::new();
    let mut huidig = String::new();
    for woord in s.split_whitespace() {
        if !huidig.is_empty() && huidig.chars().count() + 1 + woord.chars().count() > breedte {
            regels.push(std::mem::take(&mut huidig));
        }
        if !huidig.is_empty() {
            huidig.push(' ');
        }
        huidig.push_str(woord);
    }
    if !huidig.is_empty() || regels.is_empty() {
        regels.push(huidig);
    }
    if regels.len() > max_regels {
        let rest = regels[max_regels - 1..].join(" ");
        regels.truncate(max_regels - 1);
        regels.push(kort(&rest, breedte));
    }
    regels.into_iter().map(|r| kort(&r, breedte)).collect()
}

/// One page being written.
struct Pagina {
    inhoud: Content,
    y: f32,
}

impl Pagina {
    fn new() -> Pagina {
        Pagina { inhoud: Content::new(), y: BOVEN }
    }

    fn tekst(&mut self, x: f32, y: f32, font: Name<'_>, grootte: f32, s: &str) {
        let bytes = win_ansi(s);
        self.inhoud.begin_text();
        self.inhoud.set_font(font, grootte);
        self.inhoud.next_line(x, y);
        self.inhoud.show(Str(&bytes));
        self.inhoud.end_text();
    }

    fn lijn(&mut self, y: f32) {
        self.inhoud.set_line_width(0.5);
        self.inhoud.move_to(LINKS, y);
        self.inhoud.line_to(RECHTS, y);
        self.inhoud.stroke();
    }

    /// A label and its (wrapped) value; moves down.
    fn veld(&mut self, label: &str, waarde: &str, max_regels: usize) {
        self.tekst(LINKS, self.y, F_VET, 10.0, label);
        for regel in omloop(waarde, 78, max_regels) {
            self.tekst(LINKS + 100.0, self.y, F_REGULIER, 10.0, &regel);
            self.y -= 14.0;
        }
    }

    fn tabelkop(&mut self) {
        self.tekst(LINKS, self.y, F_VET, 9.0, "Datum");
        self.tekst(LINKS + 80.0, self.y, F_VET, 9.0, "Uren");
        self.tekst(LINKS + 130.0, self.y, F_VET, 9.0, "Omschrijving");
        self.lijn(self.y - 4.0);
        self.y -= 16.0;
    }
}

/// The printed proof as PDF bytes.
pub fn render(a: &Afdruk) -> Vec<u8> {
    // Many lines get a tighter line height so that the maximum (100) fits on two pages.
    let regelhoogte = if a.prestaties.len() > 70 { 10.0 } else { 12.0 };
    let mut paginas = vec![Pagina::new()];
    let p = paginas.last_mut().expect("one page");
    p.tekst(LINKS, p.y, F_VET, 16.0, "Bewijs van deelname");
    p.y -= 18.0;
    p.tekst(LINKS, p.y, F_REGULIER, 10.0, "Participatie- en netwerktraject (inburgering)");
    p.y -= 14.0;
    p.tekst(LINKS, p.y, F_REGULIER, 10.0, &format!("Deelnamebewijs {} — status: {}", a.id, a.status));
    p.y -= 10.0;
    p.lijn(p.y);
    p.y -= 20.0;
    p.veld("Inburgeraar", &a.inburgeraar, 1);
    p.veld("Activiteit", &a.activiteit, 2);
    p.veld("Aanbodtype", &a.aanbodtype, 1);
    p.veld("Organisatie", &a.organisatie, 2);
    p.veld("Contactpersoon", &a.contactpersoon, 2);
    p.y -= 8.0;
    p.tabelkop();

    for (datum, uren, omschrijving) in &a.prestaties {
        if paginas.last().is_some_and(|p| p.y - regelhoogte < ONDER) {
            let mut nieuw = Pagina::new();
            nieuw.tabelkop();
            paginas.push(nieuw);
        }
        let p = paginas.last_mut().expect("a page");
        p.tekst(LINKS, p.y, F_REGULIER, 9.0, datum);
        p.tekst(LINKS + 80.0, p.y, F_REGULIER, 9.0, uren);
        p.tekst(LINKS + 130.0, p.y, F_REGULIER, 9.0, &kort(omschrijving, 80));
        p.y -= regelhoogte;
    }
    if paginas.last().is_some_and(|p| p.y - SLOT < ONDER) {
        paginas.push(Pagina::new());
    }
    let p = paginas.last_mut().expect("a page");
    p.lijn(p.y + regelhoogte - 4.0);
    p.y -= 6.0;
    p.tekst(LINKS, p.y, F_VET, 10.0, &format!("Totaal: {}", a.totaal));
    p.y -= 20.0;
    for v in &a.verloop {
        for regel in omloop(v, 95, 3) {
            p.tekst(LINKS, p.y, F_REGULIER, 9.0, &regel);
            p.y -= 12.0;
        }
    }
    if a.handtekeningvak {
        p.y -= 6.0;
        p.tekst(LINKS, p.y, F_VET, 10.0, "Ondertekening door de contactpersoon");
        p.y -= 16.0;
        p.tekst(LINKS, p.y, F_REGULIER, 9.0, "Naam: ______________________________   Datum: ____________");
        p.y -= 22.0;
        p.tekst(LINKS, p.y, F_REGULIER, 9.0, "Handtekening: ______________________________");
    }

    let aantal = paginas.len();
    let mut pdf = Pdf::new();
    let catalogus = Ref::new(1);
    let boom = Ref::new(2);
    let regulier = Ref::new(3);
    let vet = Ref::new(4);
    let info = Ref::new(5);
    let pagina_refs: Vec<(Ref, Ref)> =
        (0..aantal).map(|i| (Ref::new(10 + 2 * i as i32), Ref::new(11 + 2 * i as i32))).collect();
    pdf.catalog(catalogus).pages(boom);
    pdf.pages(boom).kids(pagina_refs.iter().map(|(p, _)| *p)).count(aantal as i32);
    pdf.type1_font(regulier).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(vet).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(&format!("Deelnamebewijs {}", a.id))).producer(TextStr("PNT API"));
    for (i, (mut pagina, (pagina_ref, inhoud_ref))) in paginas.into_iter().zip(pagina_refs).enumerate() {
        // Footer: ASCII only, so the trace id is searchable text in the file.
        pagina.lijn(ONDER - 12.0);
        pagina.tekst(LINKS, ONDER - 26.0, F_REGULIER, 8.0, &format!("BelGov-Trace-Id: {}", a.trace_id));
        pagina.tekst(
            LINKS,
            ONDER - 37.0,
            F_REGULIER,
            8.0,
            &format!("Gemaakt op {} - {} - pagina {} van {}", a.gemaakt_op, kort(&a.adres, 60), i + 1, aantal),
        );
        let mut page = pdf.page(pagina_ref);
        page.media_box(Rect::new(0.0, 0.0, BREEDTE, HOOGTE));
        page.parent(boom);
        page.contents(inhoud_ref);
        page.resources().fonts().pair(F_REGULIER, regulier).pair(F_VET, vet);
        page.finish();
        pdf.stream(inhoud_ref, &pagina.inhoud.finish());
    }
    pdf.finish()
}

/// The number of pages of a PDF this module wrote.
#[cfg(test)]
fn paginas(pdf: &[u8]) -> usize {
    let s = String::from_utf8_lossy(pdf);
    s.matches("/Type /Page").count() - s.matches("/Type /Pages").count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn afdruk(n: usize) -> Afdruk {
        Afdruk {
            id: 7,
            inburgeraar: "Amina Haddad-Élise".into(),
            activiteit: "Vrijwilliger in het buurtrestaurant (keuken en bediening), elke woensdag".into(),
            aanbodtype: "vrijwilligerswerk".into(),
            organisatie: "Buurtwerk De Brug vzw".into(),
            contactpersoon: "An Peeters, an@debrug.be, +32 470 12 34 56".into(),
            prestaties: (0..n)
                .map(|i| (format!("2026-03-{:02}", i % 28 + 1), "1.75".into(), "Koken en afwassen ".repeat(8)))
                .collect(),
            totaal: format!("{} uur", n as f64 * 1.75),
            status: "teOndertekenen".into(),
            verloop: vec!["Nog niet ondertekend.".into()],
            handtekeningvak: true,
            trace_id: "trace-abc-123".into(),
            gemaakt_op: "2026-05-01 10:00 UTC".into(),
            adres: "http://localhost/v1/deelnamebewijzen/7".into(),
        }
    }

    #[test]
    fn one_or_two_pages_with_the_trace_id() {
        for (n, max) in [(0, 1), (5, 1), (30, 2), (70, 2), (100, 2)] {
            let pdf = render(&afdruk(n));
            assert!(pdf.starts_with(b"%PDF-"));
            let text = String::from_utf8_lossy(&pdf);
            assert!(text.contains("BelGov-Trace-Id: trace-abc-123"));
            let pages = paginas(&pdf);
            assert!(pages >= 1 && pages <= max, "{n} lines: {pages} pages");
        }
    }

    #[test]
    fn text_is_windows_1252() {
        assert_eq!(win_ansi("Café €5 “x”"), b"Caf\xe9 \x805 \x93x\x94");
        assert_eq!(win_ansi("أمينة"), b"?????");
        assert_eq!(kort("abcdef", 4), "abc…");
        assert_eq!(omloop("een twee drie vier", 9, 5), ["een twee", "drie vier"]);
        assert_eq!(omloop("een twee drie vier", 9, 1), ["een twee…"]);
        assert_eq!(omloop("", 9, 2), [""]);
    }
}
