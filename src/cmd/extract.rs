//! `pressbook extract`: one page's article as Markdown or JSON, printed.

use pressbook::collect::{self, http, save, sources};
use pressbook::Error;

/// Print the article in a web page (a URL, a saved .html file or - for
/// standard input) as Markdown with front matter, or as JSON.
#[derive(clap::Args)]
pub struct Args {
    /// An http(s) URL, a saved .html file, or - for standard input.
    source: String,
    /// The page's address, for a file or standard input: relative links
    /// and images resolve against it.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Print one JSON object (title, byline, published, site, url,
    /// language, excerpt, lead_image, markdown, text).
    #[arg(long)]
    json: bool,
    /// Seconds to wait for each request.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    timeout: u64,
}

pub fn run(a: Args) -> Result<(), Error> {
    let net = http::NetOptions {
        timeout: std::time::Duration::from_secs(a.timeout.max(1)),
        ..Default::default()
    };
    let mut client = http::Http::new(net);
    let mut source = sources::from_arg(&a.source, a.url.as_deref()).map_err(anyhow::Error::from)?;
    let article =
        collect::read_article(&mut client, source.as_mut()).map_err(anyhow::Error::from)?;
    pressbook::term::print_diagnostics(&article.warnings);
    if a.json {
        let json = serde_json::to_string_pretty(&article.to_json()).map_err(anyhow::Error::from)?;
        pressbook::say!("{json}");
    } else {
        let fetched = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        pressbook::say_raw!(
            "{}",
            save::article_text(&article.meta, &fetched, &article.blocks)
        );
    }
    Ok(())
}
