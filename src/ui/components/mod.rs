//! Components shared by the chapters.

pub mod editor;
pub mod inputs;
pub mod math;
pub mod notice;
pub mod number;

pub use editor::ProgramEditor;
pub use inputs::InputFields;
pub use notice::UrlNotice;
pub use number::{Num, NumProps};
