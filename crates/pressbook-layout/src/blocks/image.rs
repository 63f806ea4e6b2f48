//! Figures: an image scaled into the column (an SVG, which the PDF cannot
//! draw, as a framed placeholder with its description), with its caption;
//! a remote image as a link line.

use pressbook_model::diag::Diagnostic;
use pressbook_model::model::{Article, Asset, AssetId, ImageFormat, ImageSrc};

use super::super::LinkTarget;
use super::{
    Align, Band, BlockRole, FlowBuilder, Kind, NodeId, PageItem, Placed, Point, Rgb, RichText,
    Strip, Tags, TextStyle, UNTAGGED,
};

impl FlowBuilder<'_> {
    pub(super) fn image(
        &mut self,
        a: &Article,
        src: &ImageSrc,
        alt: &str,
        title: Option<&str>,
        band: Band,
    ) {
        let space = self.space();
        match src {
            ImageSrc::Asset(id) => {
                let e = self.figure(a, *id, alt, band, space);
                self.push(e);
                let caption = title.unwrap_or(alt);
                if !caption.is_empty() {
                    self.keep_next = true;
                    self.role = BlockRole::Caption;
                    self.tag(Kind::Caption);
                    let c = self.style.sizes.caption;
                    let st = TextStyle::serif(c.size).italic().color(Rgb::GREY);
                    let rt = RichText::styled(caption, st);
                    let before = self.style.spacing.image.caption_before;
                    self.push_lines(&rt, band, 0.0, Align::Center, c.size, c.leading, before);
                }
                self.after_space(space * self.style.spacing.after_block_share);
            }
            ImageSrc::Remote(url) => {
                let label = format!("[Image: {}]", if alt.is_empty() { url } else { alt });
                let st = self.body().italic().color(Rgb::GREY);
                let mut rt = RichText::new();
                let link = LinkTarget::Url(url.clone());
                rt.push(&label, st, Some(&link), 0.0, false);
                rt.finish();
                self.role = BlockRole::Figure;
                self.tag(Kind::P);
                self.push_lines(
                    &rt,
                    band,
                    0.0,
                    Align::Center,
                    st.size,
                    self.style.leading,
                    space,
                );
                self.after_space(space * self.style.spacing.after_block_share);
            }
        }
        self.after_para = false;
    }

    /// The image's strip: as wide as the column when it is more than half
    /// of it, never taller than 60 % of the page, centred.
    fn figure(&mut self, a: &Article, id: AssetId, alt: &str, band: Band, space: f32) -> Strip {
        let asset = self.digest.asset(id);
        let aspect = asset.height.max(1) as f32 / asset.width.max(1) as f32;
        let natural = asset.width as f32 * 0.75;
        let mut w = if natural > band.measure * 0.5 {
            band.measure
        } else {
            natural
        };
        let max_h = self.style.content_height() * 0.6;
        if w * aspect > max_h {
            w = max_h / aspect;
        }
        let h = w * aspect;
        let x = band.x + (band.measure - w) / 2.0;
        let mut e = Strip {
            height: h,
            space_before: space,
            break_before: true,
            ..Strip::default()
        };
        if asset.format == ImageFormat::Svg {
            self.svg_placeholder(&mut e, a, asset, alt, Point::new(x, 0.0), w, h);
        } else {
            let node = self.figure_node(a, asset, alt);
            e.items.push(
                Placed::new(
                    Point::new(x, 0.0),
                    PageItem::Image { asset: id, w, h },
                    BlockRole::Figure,
                )
                .tagged(node),
            );
        }
        e
    }

    /// The `Figure` node of an image described by `alt`; without a
    /// description the image is decorative (an artifact) and a warning
    /// says so, since a screen reader can say nothing of it.
    fn figure_node(&mut self, a: &Article, asset: &Asset, alt: &str) -> NodeId {
        if alt.trim().is_empty() {
            self.sink.push(
                Diagnostic::warning(format!(
                    "the image {} has no description, so the PDF marks it as decoration that screen readers skip",
                    asset.name
                ))
                .at(&a.path)
                .hint("describe it in the Markdown: ![what the image shows](file)"),
            );
            return UNTAGGED;
        }
        let node = self.tree.add(Kind::Figure, self.parent);
        self.tree.node_mut(node).alt = Some(alt.trim().to_string());
        node
    }

    /// A band with the image's description inside, and a warning.
    #[allow(clippy::too_many_arguments)]
    fn svg_placeholder(
        &mut self,
        e: &mut Strip,
        a: &Article,
        asset: &Asset,
        alt: &str,
        at: Point,
        w: f32,
        h: f32,
    ) {
        let x = at.x;
        e.items.push(Placed::new(
            at,
            PageItem::StrokedRect {
                w,
                h,
                thickness: self.style.spacing.rules.frame,
                color: Rgb::RULE,
            },
            BlockRole::Figure,
        ));
        let label = format!(
            "[Image: {}]",
            if alt.is_empty() { &asset.name } else { alt }
        );
        let p = self.style.sizes.placeholder;
        let st = TextStyle::sans(p.size).color(Rgb::GREY);
        let rt = RichText::styled(&label, st);
        let (inset, min) = (
            self.style.spacing.image.placeholder_inset,
            self.style.spacing.image.placeholder_min_measure,
        );
        let lines = self.set_bare(&rt, (w - 2.0 * inset).max(min), Align::Center);
        // The placeholder's text is what a reader hears.
        let node = self.tree.add(Kind::P, self.parent);
        let total = lines.len() as f32 * p.leading;
        for (k, line) in lines.into_iter().enumerate() {
            let y = (h - total) / 2.0 + p.size + k as f32 * p.leading;
            line.place(
                x + inset,
                y,
                BlockRole::Figure,
                Tags::of(node),
                &mut e.items,
                &mut e.links,
            );
        }
        self.sink.push(
            Diagnostic::warning(format!(
                "the SVG image {} cannot be drawn in the PDF; a framed placeholder with its description stands in for it",
                asset.name
            ))
            .at(&a.path)
            .hint("use a PNG or JPEG version of the image for the PDF"),
        );
    }
}
