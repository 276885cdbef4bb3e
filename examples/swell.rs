use ad_lab::lab::program::ProgramAction;
use ad_lab::lab::symbolic::{SymbolicAction, SymbolicState};
use ad_lab::lab::ChapterModel;
fn main() {
    let n: String = std::env::args().nth(1).unwrap_or("20".into());
    let s = SymbolicState::default()
        .apply(SymbolicAction::Program(ProgramAction::Example(1)))
        .apply(SymbolicAction::NMax(n));
    let t = std::time::Instant::now();
    let sw = s.swell().unwrap();
    println!("{} rows in {:?}", sw.rows.len(), t.elapsed());
    for r in sw.rows.iter() {
        println!("{:?}", r);
    }
}
