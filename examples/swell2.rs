use ad_lab::lab::program::ProgramAction;
use ad_lab::lab::symbolic::{SymbolicAction, SymbolicState};
use ad_lab::lab::ChapterModel;
fn main() {
    for ex in 0..3 {
        let s = SymbolicState::default()
            .apply(SymbolicAction::Program(ProgramAction::Example(ex)))
            .apply(SymbolicAction::NMax("30".into()));
        let t = std::time::Instant::now();
        let sw = s.swell().unwrap();
        let simplified = sw.rows.iter().filter(|r| r.df_simplified.is_some()).count();
        println!(
            "example {ex}: {} rows, {simplified} simplified, in {:?}",
            sw.rows.len(),
            t.elapsed()
        );
    }
}
