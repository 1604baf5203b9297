//! Languages: ISO 639-1 codes, translatable texts (R12: Dutch required) and picking the
//! translation a client asked for (`lang` or `Accept-Language`).

use std::collections::BTreeMap;

/// All ISO 639-1 two-letter codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr \
cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu \
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt \
lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm \
rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw \
ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

pub const DEFAULT_LANGUAGE: &str = "nl";

pub fn is_language_code(code: &str) -> bool {
    code.len() == 2 && ISO_639_1.split(' ').any(|c| c == code)
}

/// A text in several languages; always has Dutch.
pub type Vertalingen = BTreeMap<String, String>;

/// Checks a translatable text: valid language codes, Dutch present, no empty or over-long text.
/// Returns the problems as (language or "", message).
pub fn check_vertalingen(v: &Vertalingen, max_len: usize) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if !v.contains_key(DEFAULT_LANGUAGE) {
        problems.push((String::new(), "a Dutch text (nl) is required".to_string()));
    }
    for (lang, text) in v {
        if !is_language_code(lang) {
            problems.push((lang.clone(), format!("'{lang}' is not an ISO 639-1 language code")));
        } else if text.trim().is_empty() {
            problems.push((lang.clone(), "must not be empty".to_string()));
        } else if text.chars().count() > max_len {
            problems.push((lang.clone(), format!("at most {max_len} characters")));
        }
    }
    problems
}

/// The language to show: `lang` if given and available, else the first available language of
/// `Accept-Language` by quality, else Dutch.
pub fn choose<'a>(
    available: impl IntoIterator<Item = &'a str> + Clone,
    lang: Option<&str>,
    accept: Option<&str>,
) -> String {
    let has = |code: &str| available.clone().into_iter().any(|a| a == code);
    if let Some(l) = lang.map(|l| l.trim().to_ascii_lowercase()).filter(|l| has(l)) {
        return l;
    }
    if let Some(header) = accept {
        let mut ranges: Vec<(f32, usize, String)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let q =
                    pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                // "nl-BE" asks for "nl"; "*" adds nothing beyond the default.
                let primary = tag.split('-').next().unwrap_or("").to_string();
                (q > 0.0 && primary.len() == 2).then_some((q, i, primary))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some((_, _, l)) = ranges.into_iter().find(|(_, _, l)| has(l)) {
            return l;
        }
    }
    DEFAULT_LANGUAGE.to_string()
}

/// The text in `lang`, falling back to Dutch.
pub fn text_in<'a>(v: &'a Vertalingen, lang: &str) -> &'a str {
    v.get(lang).or_else(|| v.get(DEFAULT_LANGUAGE)).map(String::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pairs: &[(&str, &str)]) -> Vertalingen {
        pairs.iter().map(|(k, t)| (k.to_string(), t.to_string())).collect()
    }

    #[test]
    fn dutch_is_required_and_codes_are_checked() {
        assert!(check_vertalingen(&v(&[("nl", "Taalcafé")]), 10).is_empty());
        assert_eq!(check_vertalingen(&v(&[("en", "Language café")]), 50).len(), 1);
        let p = check_vertalingen(&v(&[("nl", "x"), ("xx", "y"), ("fr", " ")]), 50);
        assert_eq!(p.len(), 2);
        assert_eq!(check_vertalingen(&v(&[("nl", "abcdef")]), 5).len(), 1);
    }

    #[test]
    fn chooses_by_lang_then_accept_language_then_dutch() {
        let available = ["nl", "en", "ar"];
        let pick = |lang, accept| choose(available.iter().copied(), lang, accept);
        assert_eq!(pick(Some("ar"), Some("en")), "ar");
        assert_eq!(pick(Some("de"), Some("en")), "en");
        assert_eq!(pick(None, Some("fr-BE, en;q=0.8, ar;q=0.9")), "ar");
        assert_eq!(pick(None, Some("fr, de;q=0.5")), "nl");
        assert_eq!(pick(None, Some("en;q=0")), "nl");
        assert_eq!(pick(None, None), "nl");
        assert_eq!(pick(None, Some("EN-gb")), "en");
    }

    #[test]
    fn falls_back_to_dutch_text() {
        let t = v(&[("nl", "Voetbal"), ("en", "Football")]);
        assert_eq!(text_in(&t, "en"), "Football");
        assert_eq!(text_in(&t, "ar"), "Voetbal");
        assert!(is_language_code("uk") && !is_language_code("xx") && !is_language_code("nld"));
    }
}
