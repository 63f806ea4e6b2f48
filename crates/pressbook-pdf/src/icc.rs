//! The sRGB ICC profile of the PDF/A output intent, written here rather
//! than copied in: an ICC v2 display profile with the sRGB primaries
//! (adapted to D50, as the profile connection space wants) and the sRGB
//! tone curve as a table. Every colour pressbook draws is sRGB.

/// The profile's bytes (about 1 KB).
pub(super) fn srgb() -> Vec<u8> {
    let tags: [(&[u8; 4], Vec<u8>); 7] = [
        (b"desc", desc("sRGB IEC61966-2.1 (pressbook)")),
        (b"cprt", text("No copyright, use freely")),
        (b"wtpt", xyz([0.9642, 1.0, 0.8249])),
        (b"rXYZ", xyz([0.4361, 0.2225, 0.0139])),
        (b"gXYZ", xyz([0.3851, 0.7169, 0.0971])),
        (b"bXYZ", xyz([0.1431, 0.0606, 0.7141])),
        (b"rTRC", curve()),
    ];
    // The green and blue curves share the red one's data.
    let entries = tags.len() + 2;
    let mut data_at = 128 + 4 + 12 * entries;
    let mut table = Vec::new();
    let mut data = Vec::new();
    let mut trc = (0, 0);
    for (sig, body) in &tags {
        table.extend_from_slice(*sig);
        table.extend_from_slice(&(data_at as u32).to_be_bytes());
        table.extend_from_slice(&(body.len() as u32).to_be_bytes());
        if *sig == b"rTRC" {
            trc = (data_at, body.len());
        }
        data.extend_from_slice(body);
        while data.len() % 4 != 0 {
            data.push(0);
        }
        data_at = 128 + 4 + 12 * entries + data.len();
    }
    for sig in [b"gTRC", b"bTRC"] {
        table.extend_from_slice(sig);
        table.extend_from_slice(&(trc.0 as u32).to_be_bytes());
        table.extend_from_slice(&(trc.1 as u32).to_be_bytes());
    }
    let size = 128 + 4 + table.len() + data.len();
    let mut out = header(size as u32);
    out.extend_from_slice(&(entries as u32).to_be_bytes());
    out.extend_from_slice(&table);
    out.extend_from_slice(&data);
    out
}

fn header(size: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(128);
    h.extend_from_slice(&size.to_be_bytes());
    h.extend_from_slice(&[0; 4]); // preferred CMM: none
    h.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1
    h.extend_from_slice(b"mntrRGB XYZ ");
    // Creation date: fixed, so that builds are reproducible.
    for v in [2026u16, 1, 1, 0, 0, 0] {
        h.extend_from_slice(&v.to_be_bytes());
    }
    h.extend_from_slice(b"acsp");
    h.extend_from_slice(&[0; 24]); // platform, flags, maker, model, attributes
    h.extend_from_slice(&0u32.to_be_bytes()); // perceptual intent
    h.extend_from_slice(&s15([0.9642, 1.0, 0.8249])); // D50
    h.resize(128, 0); // creator, id, reserved
    h
}

fn s15(v: [f64; 3]) -> Vec<u8> {
    v.iter()
        .flat_map(|x| ((x * 65536.0).round() as i32).to_be_bytes())
        .collect()
}

fn xyz(v: [f64; 3]) -> Vec<u8> {
    let mut out = b"XYZ \0\0\0\0".to_vec();
    out.extend_from_slice(&s15(v));
    out
}

fn text(s: &str) -> Vec<u8> {
    let mut out = b"text\0\0\0\0".to_vec();
    out.extend_from_slice(s.as_bytes());
    out.push(0);
    out
}

/// A v2 `textDescriptionType`: the ASCII description, then empty Unicode
/// and ScriptCode descriptions.
fn desc(s: &str) -> Vec<u8> {
    let mut out = b"desc\0\0\0\0".to_vec();
    out.extend_from_slice(&(s.len() as u32 + 1).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
    out.push(0);
    out.extend_from_slice(&[0; 8]); // Unicode language and count
    out.extend_from_slice(&[0; 3]); // ScriptCode code and count
    out.extend_from_slice(&[0; 67]);
    out
}

/// The sRGB transfer function, sampled at 256 points (one per 8-bit
/// value).
fn curve() -> Vec<u8> {
    const N: usize = 256;
    let mut out = b"curv\0\0\0\0".to_vec();
    out.extend_from_slice(&(N as u32).to_be_bytes());
    for i in 0..N {
        let v = i as f64 / (N - 1) as f64;
        let linear = if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        };
        out.extend_from_slice(&((linear * 65535.0).round() as u16).to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn the_profile_is_well_formed() {
        let p = srgb();
        assert_eq!(u32_at(&p, 0) as usize, p.len());
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        assert_eq!(&p[36..40], b"acsp");
        let n = u32_at(&p, 128) as usize;
        assert_eq!(n, 9);
        for k in 0..n {
            let at = 132 + 12 * k;
            let (offset, len) = (u32_at(&p, at + 4) as usize, u32_at(&p, at + 8) as usize);
            assert_eq!(offset % 4, 0, "tag {k} is not aligned");
            assert!(offset + len <= p.len(), "tag {k} runs past the end");
        }
        // The curve is monotonic from black to white.
        let curve = &p[p.len() - 512..];
        let v: Vec<u16> = curve
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        assert_eq!((v[0], v[255]), (0, 65535));
        assert!(v.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(p, srgb(), "the profile is not reproducible");
    }
}
