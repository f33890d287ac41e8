//! The right panel: the settings of whatever is selected, and the validator's findings. The
//! work lives in [`crate::inspector`].

pub use crate::inspector::Inspector;
