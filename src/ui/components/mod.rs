//! Components shared by the chapters.

pub mod editor;
pub mod field;
pub mod fit;
pub mod graph_view;
pub mod inputs;
pub mod markup;
pub mod math;
pub mod notice;
pub mod number;
pub mod pen;
pub mod player;
pub mod stepper;
pub mod trace_table;

pub use editor::{program_editor, program_panel};
pub use field::{number_field, select_field};
pub use fit::Fit;
pub use graph_view::GraphView;
pub use inputs::input_fields;
pub use markup::{class_list, count_str, esc, markup, num_str, raw};
pub use notice::url_notice;
pub use number::num;
pub use pen::Pen;
pub use player::{player_row, use_player};
pub use stepper::{slide_steps, step_controls, use_stepper, SlideSteps, Step, Stepper};
pub use trace_table::TraceTable;
