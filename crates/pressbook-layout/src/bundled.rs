//! The bundled fonts (from `fonts/`, compiled in so that a build looks the
//! same on every machine, whatever is installed).

pub const SERIF_REGULAR: &[u8] = include_bytes!("../../../fonts/serif-regular.ttf");
pub const SERIF_ITALIC: &[u8] = include_bytes!("../../../fonts/serif-italic.ttf");
pub const SERIF_BOLD: &[u8] = include_bytes!("../../../fonts/serif-bold.ttf");
pub const SERIF_BOLD_ITALIC: &[u8] = include_bytes!("../../../fonts/serif-bolditalic.ttf");
pub const SANS_REGULAR: &[u8] = include_bytes!("../../../fonts/sans-regular.ttf");
pub const SANS_BOLD: &[u8] = include_bytes!("../../../fonts/sans-bold.ttf");
pub const MONO_REGULAR: &[u8] = include_bytes!("../../../fonts/mono-regular.ttf");
