//! Components shared by the chapters.

pub mod editor;
pub mod graph_view;
pub mod inputs;
pub mod markup;
pub mod math;
pub mod notice;
pub mod number;
pub mod trace_table;

pub use editor::ProgramEditor;
pub use graph_view::GraphView;
pub use inputs::InputFields;
pub use markup::{button, markup};
pub use notice::UrlNotice;
pub use number::{num, Num, NumProps};
pub use trace_table::TraceTable;
