//! The editor's state: the scenario document, the operations that change it (`ops`, and
//! `faults` for the fault timeline), and the history that undoes them. The document is the
//! single source of truth; views derive from it.

pub mod autosave;
pub mod clipboard;
pub mod editor;
pub mod faults;
pub mod history;
pub mod ops;
pub mod size;

pub use editor::Editor;
pub use history::History;
