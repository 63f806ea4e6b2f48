//! The colours of the house style: the `[style]` accent, checked for
//! contrast, as every output shares it (the model's [`crate::model::House`]
//! carries it with the logo).

use std::fmt;

/// The accent as given (for rules and other graphics) and as text set in it
/// may use: darkened, when the given one is too light to read on white.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent {
    pub given: Colour,
    pub text: Colour,
}

impl Accent {
    pub fn new(given: Colour) -> Self {
        Accent {
            given,
            text: given.darkened_for_text(),
        }
    }
}

/// An sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// The contrast with white WCAG 2.1 AA asks of normal-sized text.
pub const AA_TEXT_CONTRAST: f64 = 4.5;

impl Colour {
    /// `#rgb` or `#rrggbb` (case-insensitive).
    pub fn parse_hex(s: &str) -> Option<Colour> {
        let hex = s.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize, n: usize| u8::from_str_radix(&hex[i..i + n], 16).ok();
        match hex.len() {
            3 => {
                let d = |i| channel(i, 1).map(|v| v * 17);
                Some(Colour {
                    r: d(0)?,
                    g: d(1)?,
                    b: d(2)?,
                })
            }
            6 => Some(Colour {
                r: channel(0, 2)?,
                g: channel(2, 2)?,
                b: channel(4, 2)?,
            }),
            _ => None,
        }
    }

    /// Components 0–1.
    pub fn unit(self) -> (f32, f32, f32) {
        (
            f32::from(self.r) / 255.0,
            f32::from(self.g) / 255.0,
            f32::from(self.b) / 255.0,
        )
    }

    /// WCAG 2.1 relative luminance.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// WCAG contrast ratio with white (1 to 21).
    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }

    /// WCAG contrast ratio between this colour and `other` (1 to 21).
    pub fn contrast_with(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// This colour when it reaches AA contrast with the dark `background`,
    /// else the same hue mixed towards white, step by step, until it does
    /// (text in the accent on a dark page).
    pub fn lightened_for_text_on(self, background: Colour) -> Colour {
        let mut c = self;
        let mut k = 0.0f64;
        while c.contrast_with(background) < AA_TEXT_CONTRAST && k < 1.0 {
            k += 0.02;
            let s = |v: u8| {
                (f64::from(v) + (255.0 - f64::from(v)) * k)
                    .round()
                    .clamp(0.0, 255.0) as u8
            };
            c = Colour {
                r: s(self.r),
                g: s(self.g),
                b: s(self.b),
            };
        }
        c
    }

    /// This colour when it reaches AA contrast with white, else the same
    /// hue scaled towards black, step by step, until it does.
    pub fn darkened_for_text(self) -> Colour {
        let mut c = self;
        let mut k = 1.0f64;
        while c.contrast_with_white() < AA_TEXT_CONTRAST && k > 0.0 {
            k -= 0.02;
            let s = |v: u8| (f64::from(v) * k).round().clamp(0.0, 255.0) as u8;
            c = Colour {
                r: s(self.r),
                g: s(self.g),
                b: s(self.b),
            };
        }
        c
    }
}

impl fmt::Display for Colour {
    /// `#rrggbb`, as CSS takes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_forms() {
        let c = Colour::parse_hex("#0B5394").unwrap();
        assert_eq!((c.r, c.g, c.b), (0x0b, 0x53, 0x94));
        assert_eq!(c.to_string(), "#0b5394");
        assert_eq!(Colour::parse_hex("#fff").unwrap().to_string(), "#ffffff");
        for bad in [
            "0b5394",
            "#0b539",
            "#ggg",
            "blue",
            "#",
            "#0b5394ff",
            "#+1+2+3",
        ] {
            assert_eq!(Colour::parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_wcag_figures() {
        // Black on white is 21:1, white on white 1:1; #767676 is the
        // lightest grey that passes AA on white (4.54:1).
        let black = Colour { r: 0, g: 0, b: 0 };
        assert!((black.contrast_with_white() - 21.0).abs() < 1e-9);
        assert!((Colour::parse_hex("#fff").unwrap().contrast_with_white() - 1.0).abs() < 1e-9);
        let grey = Colour::parse_hex("#767676").unwrap();
        assert!((grey.contrast_with_white() - 4.54).abs() < 0.01);
        assert!(Colour::parse_hex("#777777").unwrap().contrast_with_white() < 4.5);
    }

    #[test]
    fn dark_accents_are_lightened_on_dark_pages() {
        let page = Colour::parse_hex("#161616").unwrap();
        let navy = Colour::parse_hex("#0b5394").unwrap();
        let light = navy.lightened_for_text_on(page);
        assert!(navy.contrast_with(page) < AA_TEXT_CONTRAST);
        assert!(light.contrast_with(page) >= AA_TEXT_CONTRAST);
        assert!(light.b > light.r, "the hue stays blue: {light}");
        let gold = Colour::parse_hex("#f1c232").unwrap();
        assert_eq!(gold.lightened_for_text_on(page), gold);
    }

    #[test]
    fn light_accents_are_darkened_for_text_only() {
        let dark = Accent::new(Colour::parse_hex("#0b5394").unwrap());
        assert_eq!(dark.text, dark.given);
        let gold = Accent::new(Colour::parse_hex("#f1c232").unwrap());
        assert_eq!(gold.given.to_string(), "#f1c232");
        assert!(gold.given.contrast_with_white() < 2.0);
        assert!(gold.text.contrast_with_white() >= AA_TEXT_CONTRAST);
        // The same hue, only darker: red stays the largest channel.
        assert!(gold.text.r > gold.text.g && gold.text.g > gold.text.b);
        assert!(gold.text.r < gold.given.r);
    }
}
