//! Geometry and colour. All lengths are PostScript points (1/72 in).

/// A position in points, origin at the top left of the page, y downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }

    /// This point moved by `(dx, dy)`.
    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Point::new(self.x + dx, self.y + dy)
    }
}

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// An sRGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
    /// Body text: a very dark grey reads softer than pure black.
    pub const INK: Rgb = Rgb(0.10, 0.10, 0.11);
    pub const GREY: Rgb = Rgb(0.42, 0.42, 0.44);
    pub const RULE: Rgb = Rgb(0.70, 0.70, 0.72);
    pub const SHADE: Rgb = Rgb(0.955, 0.95, 0.94);
    pub const ACCENT: Rgb = Rgb(0.62, 0.16, 0.12);
}

impl From<pressbook_model::house::Colour> for Rgb {
    fn from(c: pressbook_model::house::Colour) -> Rgb {
        let (r, g, b) = c.unit();
        Rgb(r, g, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mm_to_points() {
        assert!((mm(25.4) - 72.0).abs() < 1e-4);
        assert!((mm(210.0) - 595.2756).abs() < 1e-2);
    }
}
