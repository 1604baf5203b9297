//! The mails the API sends, in Dutch, as plain text and HTML. A signing-link mail carries only
//! what the contact person needs to decide (R8): the newcomer's first name and initial, the
//! activity, the hours per day, the total and the link — no other personal data.

use chrono::NaiveDate;

use crate::domain::deelnamebewijs::Prestatie;
use crate::outbox::Mail;

/// What a signing-link mail says.
pub struct Ondertekenverzoek<'a> {
    pub contactpersoon: &'a str,
    /// First name and initial (`Amina H.`).
    pub inburgeraar: &'a str,
    pub activiteit: &'a str,
    pub organisatie: &'a str,
    pub prestaties: &'a [Prestatie],
    pub totaal_uren: f64,
    pub link: &'a str,
    /// The last day the link works (Brussels).
    pub geldig_tot: NaiveDate,
}

const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `3 november 2026`.
pub fn datum(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MAANDEN[d.month0() as usize], d.year())
}

/// `2,5 uur`: hours with a decimal comma, as Dutch writes them.
pub fn uren(u: f64) -> String {
    let tekst = format!("{u:.2}");
    let tekst = tekst.trim_end_matches('0').trim_end_matches('.');
    format!("{} uur", tekst.replace('.', ","))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// The mail that brings a signing link to the contact person.
pub fn ondertekenverzoek(v: &Ondertekenverzoek<'_>) -> Mail {
    let onderwerp = format!("Bevestig de uren van {} bij {}", v.inburgeraar, v.organisatie);
    let lijnen: Vec<(String, String)> =
        v.prestaties.iter().map(|p| (datum(p.datum), uren(p.kwartieren.uren()))).collect();
    let mut tekst = format!(
        "Beste {cp},\n\n\
         {ib} deed als deel van het participatie- en netwerktraject (inburgering) mee aan \"{act}\" bij {org}. \
         U bent de contactpersoon die deze uren kan bevestigen.\n\nUren per dag:\n",
        cp = v.contactpersoon,
        ib = v.inburgeraar,
        act = v.activiteit,
        org = v.organisatie,
    );
    for (d, u) in &lijnen {
        tekst.push_str(&format!("- {d}: {u}\n"));
    }
    tekst.push_str(&format!(
        "Totaal: {totaal}\n\n\
         Kloppen deze uren? Bevestig of weiger ze via deze link (aanmelden is niet nodig):\n{link}\n\n\
         De link werkt tot en met {tot}, voor één beslissing. Klopt er iets niet, weiger dan en zeg waarom.\n\n\
         U krijgt deze e-mail omdat u als contactpersoon voor deze activiteit werd opgegeven. \
         Stuur deze link niet door.\n",
        totaal = uren(v.totaal_uren),
        link = v.link,
        tot = datum(v.geldig_tot),
    ));
    let rijen: String =
        lijnen.iter().map(|(d, u)| format!("<tr><td>{}</td><td>{}</td></tr>", esc(d), esc(u))).collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{onderwerp}</title></head><body>\
         <p>Beste {cp},</p>\
         <p>{ib} deed als deel van het participatie- en netwerktraject (inburgering) mee aan \
         &ldquo;{act}&rdquo; bij {org}. U bent de contactpersoon die deze uren kan bevestigen.</p>\
         <table><thead><tr><th>Datum</th><th>Uren</th></tr></thead><tbody>{rijen}</tbody>\
         <tfoot><tr><th>Totaal</th><th>{totaal}</th></tr></tfoot></table>\
         <p>Kloppen deze uren? <a href=\"{link}\">Bevestig of weiger ze</a> (aanmelden is niet nodig).</p>\
         <p>De link werkt tot en met {tot}, voor één beslissing. Klopt er iets niet, weiger dan en zeg waarom.</p>\
         <p>U krijgt deze e-mail omdat u als contactpersoon voor deze activiteit werd opgegeven. \
         Stuur deze link niet door.</p></body></html>",
        onderwerp = esc(&onderwerp),
        cp = esc(v.contactpersoon),
        ib = esc(v.inburgeraar),
        act = esc(v.activiteit),
        org = esc(v.organisatie),
        totaal = esc(&uren(v.totaal_uren)),
        link = esc(v.link),
        tot = esc(&datum(v.geldig_tot)),
    );
    Mail { onderwerp, tekst, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_dates_and_hours() {
        assert_eq!(datum(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()), "3 november 2026");
        assert_eq!(uren(2.5), "2,5 uur");
        assert_eq!(uren(4.0), "4 uur");
        assert_eq!(uren(12.75), "12,75 uur");
    }

    #[test]
    fn html_is_escaped() {
        let m = ondertekenverzoek(&Ondertekenverzoek {
            contactpersoon: "An <b>",
            inburgeraar: "Amina H.",
            activiteit: "Koken & praten",
            organisatie: "De Brug",
            prestaties: &[],
            totaal_uren: 0.0,
            link: "https://x/?a=1&b=2",
            geldig_tot: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
        });
        assert!(m.html.contains("An &lt;b&gt;") && m.html.contains("Koken &amp; praten"));
        assert!(m.html.contains("href=\"https://x/?a=1&amp;b=2\""));
        assert!(m.tekst.contains("Koken & praten") && m.tekst.contains("https://x/?a=1&b=2"));
    }
}
