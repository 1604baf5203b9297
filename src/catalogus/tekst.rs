//! The full-text part of the catalogue: a tantivy index in memory over each published offer's
//! `zoektekst`, Dutch-stemmed and accent-folded, that answers a query with every matching offer
//! and its BM25 score. The structured part (`super`) filters, counts, sorts and pages.

use std::collections::BTreeSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term};

const ANALYSE: &str = "pnt_nl";
/// Terms one search word may expand to as a prefix (`voetbal` → `voetbal`, `voetballer`, …):
/// enough for any real word, a bound for a one-letter prefix.
const MAX_UITBREIDING: usize = 64;
/// The writer's memory: tantivy's minimum. Changes arrive in small batches; a bulk load is
/// flushed in segments of this size.
const SCHRIJFGEHEUGEN: usize = 15_000_000;

/// The writing side: one per process, used by the catch-up only.
pub struct Tekstindex {
    index: Index,
    /// Open from the first change of a catch-up until its commit: a writer holds an indexing
    /// arena (tantivy's minimum, 15 MB) and threads that an idle catalogue does not need.
    writer: Option<IndexWriter>,
    lezer: Lezer,
    id: Field,
    slot: Field,
}

/// The searching side, shared by every search; sees what the last [`Tekstindex::commit`] made visible.
#[derive(Clone)]
pub struct Lezer {
    reader: IndexReader,
    analyse: TextAnalyzer,
    tekst: Field,
}

impl Tekstindex {
    pub fn new() -> tantivy::Result<Tekstindex> {
        let mut schema = Schema::builder();
        let id = schema.add_u64_field("id", NumericOptions::default().set_indexed());
        let slot = schema.add_u64_field("slot", NumericOptions::default().set_fast());
        let tekst = schema.add_text_field(
            "tekst",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(ANALYSE).set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let index = Index::create_in_ram(schema.build());
        // The tokens of `zoektekst`, lower-cased and folded (as the PostgreSQL `dutch`
        // configuration does), reduced to their Dutch stem.
        let analyse = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::Dutch))
            .build();
        index.tokenizers().register(ANALYSE, analyse.clone());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Tekstindex { index, writer: None, lezer: Lezer { reader, analyse, tekst }, id, slot })
    }

    fn writer(&mut self) -> tantivy::Result<&mut IndexWriter> {
        if self.writer.is_none() {
            self.writer = Some(self.index.writer_with_num_threads(1, SCHRIJFGEHEUGEN)?);
        }
        Ok(self.writer.as_mut().expect("just opened"))
    }

    /// Replaces offer `id` (at `slot` of the structured part) by `tekst`; visible after
    /// [`Self::commit`]. `nieuw`: the index does not hold it yet, so there is nothing to delete
    /// (a queued delete per offer of a bulk load costs memory until the commit).
    pub fn zet(&mut self, id: i64, slot: u32, tekst: &str, nieuw: bool) -> tantivy::Result<()> {
        if !nieuw {
            self.verwijder(id)?;
        }
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.id, id as u64);
        doc.add_u64(self.slot, u64::from(slot));
        doc.add_text(self.lezer.tekst, tekst);
        self.writer()?.add_document(doc)?;
        Ok(())
    }

    pub fn verwijder(&mut self, id: i64) -> tantivy::Result<()> {
        let term = Term::from_field_u64(self.id, id as u64);
        self.writer()?.delete_term(term);
        Ok(())
    }

    /// Makes the changes visible, lets the merges they started finish and closes the writer.
    pub fn commit(&mut self) -> tantivy::Result<()> {
        if let Some(mut writer) = self.writer.take() {
            writer.commit()?;
            writer.wait_merging_threads()?;
        }
        self.lezer.reader.reload()
    }

    pub fn lezer(&self) -> Lezer {
        self.lezer.clone()
    }
}

impl Lezer {
    /// Every offer matching all `woorden` (each as a prefix of a stemmed term), as (slot, BM25
    /// score), in no particular order.
    pub fn zoek(&self, woorden: &[String]) -> Vec<(u32, Score)> {
        self.probeer(woorden).unwrap_or_else(|e| {
            log::error!("search index: {e}");
            Vec::new()
        })
    }

    fn probeer(&self, woorden: &[String]) -> tantivy::Result<Vec<(u32, Score)>> {
        let searcher = self.reader.searcher();
        let mut moeten: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for woord in woorden {
            let termen = self.uitbreiding(&searcher, woord)?;
            if termen.is_empty() {
                return Ok(Vec::new());
            }
            let een_van: Vec<(Occur, Box<dyn Query>)> = termen
                .iter()
                .map(|t| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(Term::from_field_text(self.tekst, t), IndexRecordOption::WithFreqs));
                    (Occur::Should, q)
                })
                .collect();
            moeten.push((Occur::Must, Box::new(BooleanQuery::new(een_van))));
        }
        searcher.search(&BooleanQuery::new(moeten), &Alles)
    }

    /// The indexed terms that start with the stem of `woord` or with `woord` itself: a word
    /// being typed (`voetba`) finds its full forms, a full word its stem's forms.
    fn uitbreiding(&self, searcher: &tantivy::Searcher, woord: &str) -> tantivy::Result<BTreeSet<String>> {
        let mut prefixen = vec![woord.to_string()];
        let mut analyse = self.analyse.clone();
        let mut stroom = analyse.token_stream(woord);
        while let Some(t) = stroom.next() {
            if !prefixen.contains(&t.text) {
                prefixen.push(t.text.clone());
            }
        }
        let mut termen = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.tekst)?;
            for prefix in &prefixen {
                let mut stroom = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
                while termen.len() < MAX_UITBREIDING && stroom.advance() {
                    if !stroom.key().starts_with(prefix.as_bytes()) {
                        break;
                    }
                    if let Ok(t) = std::str::from_utf8(stroom.key()) {
                        termen.insert(t.to_string());
                    }
                }
            }
        }
        Ok(termen)
    }
}

/// Collects every match with its score, mapped to its slot.
struct Alles;

struct AllesInSegment {
    slot: Column<u64>,
    uit: Vec<(u32, Score)>,
}

impl Collector for Alles {
    type Fruit = Vec<(u32, Score)>;
    type Child = AllesInSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<AllesInSegment> {
        Ok(AllesInSegment { slot: segment.fast_fields().u64("slot")?, uit: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, delen: Vec<Vec<(u32, Score)>>) -> tantivy::Result<Vec<(u32, Score)>> {
        Ok(delen.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllesInSegment {
    type Fruit = Vec<(u32, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(slot) = self.slot.first(doc) {
            self.uit.push((slot as u32, score));
        }
    }

    fn harvest(self) -> Vec<(u32, Score)> {
        self.uit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_stems_and_prefixes_and_ranks_by_bm25() {
        let mut t = Tekstindex::new().unwrap();
        let l = t.lezer();
        t.zet(1, 0, "koken met de buren koken samen koken", false).unwrap();
        t.zet(2, 1, "wandelen in het park soms over koken gepraat maar meestal over het weer en de buurt", false)
            .unwrap();
        t.zet(3, 2, "voetballen op zaterdag", false).unwrap();
        t.commit().unwrap();
        let mut koken = l.zoek(&["koken".into()]);
        koken.sort_by(|a, b| b.1.total_cmp(&a.1));
        assert_eq!(koken.iter().map(|k| k.0).collect::<Vec<_>>(), [0, 1]);
        // A word being typed, a stem's other form, and every word must match.
        assert_eq!(l.zoek(&["voetba".into()]).len(), 1);
        assert_eq!(l.zoek(&["voetbal".into()]).len(), 1);
        assert_eq!(l.zoek(&["koken".into(), "park".into()]).iter().map(|k| k.0).collect::<Vec<_>>(), [1]);
        assert!(l.zoek(&["schaken".into()]).is_empty());
        // Replaced and removed.
        t.zet(3, 2, "schaken in de bib", false).unwrap();
        t.verwijder(1).unwrap();
        t.commit().unwrap();
        assert!(l.zoek(&["voetbal".into()]).is_empty());
        assert_eq!(l.zoek(&["schaak".into()]).len(), 1);
        assert_eq!(l.zoek(&["koken".into()]).iter().map(|k| k.0).collect::<Vec<_>>(), [1]);
    }
}
