//! Polite HTTP: one blocking agent, one request at a time, a pause between
//! requests to the same host, size limits, a bounded number of redirects,
//! `http`/`https` only, and conditional requests for feeds.

use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant};

/// Network settings shared by `extract`, `add` and `fetch`.
#[derive(Debug, Clone)]
pub struct NetOptions {
    pub user_agent: String,
    pub timeout: Duration,
    /// Pause between two requests to the same host, from the end of one
    /// exchange (body read) to the start of the next.
    pub host_delay: Duration,
    pub max_page_bytes: u64,
    pub max_image_bytes: u64,
    pub max_redirects: u32,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            user_agent: default_user_agent(),
            timeout: Duration::from_secs(30),
            host_delay: Duration::from_millis(500),
            max_page_bytes: 8 << 20,
            max_image_bytes: 16 << 20,
            max_redirects: 5,
        }
    }
}

/// `pressbook/<version> (+homepage)`: names the tool so site owners can
/// tell who is asking.
pub fn default_user_agent() -> String {
    format!(
        "pressbook/{} (+https://github.com/pressbook/pressbook)",
        env!("CARGO_PKG_VERSION")
    )
}

/// ETag and Last-Modified from an earlier answer, sent back so an unchanged
/// resource costs a 304 and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The address after redirects.
    pub url: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub validators: Validators,
}

/// What a GET gave.
#[derive(Debug)]
pub enum Fetched {
    Body(Response),
    /// 304: unchanged since the validators were issued.
    NotModified,
}

/// Why a GET failed, worded for the person running the command.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{0} is not an http:// or https:// address")]
    Scheme(String),
    #[error("{url} answered {status}{}", retry_after.as_ref().map(|r| format!(" and asks to retry after {r}")).unwrap_or_default())]
    Status {
        url: String,
        status: u16,
        /// The Retry-After header of a 429 or 503, as the server wrote it
        /// (seconds, or a date).
        retry_after: Option<String>,
    },
    #[error("{url} timed out after {secs} s (the --timeout): {what}")]
    Timeout {
        url: String,
        secs: u64,
        /// What was still missing.
        what: &'static str,
    },
    #[error("{url} is larger than the {} limit", size(*limit))]
    TooLarge {
        url: String,
        /// In bytes.
        limit: u64,
    },
    #[error("{url} redirects more than {max} times")]
    Redirects { url: String, max: u32 },
    #[error("{url} redirects to {to}, which is not an http:// or https:// address; not followed")]
    RedirectScheme { url: String, to: String },
    #[error("{url} redirects to {to:?}, which is no address")]
    BadRedirect { url: String, to: String },
    #[error("{url} is compressed as {encoding:?}, which pressbook cannot read (it asks for gzip or deflate)")]
    Encoding { url: String, encoding: String },
    #[error("{url} says it is compressed as {encoding} but cannot be decompressed: {why}")]
    Corrupt {
        url: String,
        encoding: String,
        why: String,
    },
    #[error("{url}: {message}")]
    Other { url: String, message: String },
}

/// The content codings pressbook decodes, as asked for in
/// Accept-Encoding (ureq decodes a lone `gzip` itself; [`decode_content`]
/// does the rest).
const ACCEPT_ENCODING: &str = "gzip, deflate";

/// What one exchange of a GET gave.
enum Step {
    Done(Fetched),
    /// A 3xx with this Location, to be followed by [`Http::get`].
    Redirect(String),
}

/// `16 MiB`, `512 KiB`: a limit as people write it.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", (bytes >> 10).max(1))
    }
}

/// One agent and the time of the last request to each host.
pub struct Http {
    agent: ureq::Agent,
    opts: NetOptions,
    last: HashMap<String, Instant>,
}

impl Http {
    pub fn new(opts: NetOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            // Redirects are followed by `get`, which looks at each
            // Location before going there.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(opts.user_agent.as_str())
            .build();
        Http {
            agent: config.into(),
            opts,
            last: HashMap::new(),
        }
    }

    pub fn options(&self) -> &NetOptions {
        &self.opts
    }

    /// GET `url`, reading at most `limit` bytes of body, following at most
    /// `max_redirects` redirects to http(s) addresses, all within one
    /// `timeout` (pauses for a host aside). With `cond`, a conditional
    /// request.
    pub fn get(
        &mut self,
        url: &str,
        accept: &str,
        limit: u64,
        cond: Option<&Validators>,
    ) -> Result<Fetched, HttpError> {
        let mut current = url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| HttpError::Scheme(url.to_string()))?;
        let mut deadline = Instant::now() + self.opts.timeout;
        for _ in 0..=self.opts.max_redirects {
            let host = current.host_str().unwrap_or_default().to_string();
            deadline += self.wait_for_host(&host);
            let step = self.request(current.as_str(), accept, limit, cond, deadline);
            // The pause runs from the end of this exchange, body and all.
            self.last.insert(host, Instant::now());
            let location = match step? {
                Step::Done(fetched) => return Ok(fetched),
                Step::Redirect(location) => location,
            };
            let next = current
                .join(location.trim())
                .map_err(|_| HttpError::BadRedirect {
                    url: current.to_string(),
                    to: location.clone(),
                })?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(HttpError::RedirectScheme {
                    url: current.to_string(),
                    to: next.to_string(),
                });
            }
            current = next;
        }
        Err(HttpError::Redirects {
            url: url.to_string(),
            max: self.opts.max_redirects,
        })
    }

    /// One exchange, to be over by `deadline`.
    fn request(
        &mut self,
        url: &str,
        accept: &str,
        limit: u64,
        cond: Option<&Validators>,
        deadline: Instant,
    ) -> Result<Step, HttpError> {
        let remaining = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| self.timeout(url, "the redirects took all of it"))?;
        let mut req = self
            .agent
            .get(url)
            .header("Accept", accept)
            .header("Accept-Encoding", ACCEPT_ENCODING);
        if let Some(v) = cond {
            if let Some(e) = &v.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header("If-Modified-Since", m);
            }
        }
        let req = req.config().timeout_global(Some(remaining)).build();
        let mut resp = req.call().map_err(|e| self.error(url, e, "no answer"))?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if status == 304 {
            return Ok(Step::Done(Fetched::NotModified));
        }
        if (300..400).contains(&status) {
            if let Some(location) = header("location") {
                return Ok(Step::Redirect(location));
            }
        }
        if !(200..300).contains(&status) {
            return Err(HttpError::Status {
                url: url.to_string(),
                status,
                retry_after: header("retry-after").map(|r| retry_after(&r)),
            });
        }
        let content_type = header("content-type");
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        // ureq took away a `gzip` it decoded; any coding left is ours.
        let encoding = header("content-encoding");
        if let Some(len) = header("content-length").and_then(|l| l.parse::<u64>().ok()) {
            if len > limit {
                return Err(HttpError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
        }
        // Read one byte past the limit to tell "exactly at" from "over".
        let mut body = Vec::new();
        resp.body_mut()
            .with_config()
            .limit(u64::MAX)
            .reader()
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| self.error(url, ureq::Error::Io(e), "the body did not arrive in full"))?;
        let body = match encoding {
            Some(codings) => decode_content(&body, &codings, limit, url)?,
            None => body,
        };
        if body.len() as u64 > limit {
            return Err(HttpError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        Ok(Step::Done(Fetched::Body(Response {
            url: url.to_string(),
            content_type,
            body,
            validators,
        })))
    }

    /// Waits out the pause for `host`; returns how long it waited.
    fn wait_for_host(&self, host: &str) -> Duration {
        if let Some(t) = self.last.get(host) {
            let since = t.elapsed();
            if since < self.opts.host_delay {
                let wait = self.opts.host_delay - since;
                std::thread::sleep(wait);
                return wait;
            }
        }
        Duration::ZERO
    }

    fn timeout(&self, url: &str, what: &'static str) -> HttpError {
        HttpError::Timeout {
            url: url.to_string(),
            secs: self.opts.timeout.as_secs().max(1),
            what,
        }
    }

    /// `what`: what was missing when it timed out.
    fn error(&self, url: &str, e: ureq::Error, what: &'static str) -> HttpError {
        // A body read that times out comes back as an io::Error holding
        // ureq's timeout.
        let timed_out = match &e {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(io) => {
                io.kind() == std::io::ErrorKind::TimedOut
                    || io.get_ref().is_some_and(|inner| {
                        inner
                            .downcast_ref::<ureq::Error>()
                            .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)))
                    })
            }
            _ => false,
        };
        if timed_out {
            return self.timeout(url, what);
        }
        HttpError::Other {
            url: url.to_string(),
            message: e.to_string(),
        }
    }
}

/// A Retry-After value as said to a person: `120` → `120 s`, a date as
/// written.
fn retry_after(value: &str) -> String {
    let value = value.trim();
    let shown: String = value.chars().take(64).collect();
    if shown.chars().all(|c| c.is_ascii_digit()) && !shown.is_empty() {
        format!("{shown} s")
    } else {
        shown
    }
}

/// Undoes the content codings `codings` lists (`gzip`, `x-gzip`,
/// `deflate` as zlib or raw, `identity`), last applied first, keeping at
/// most `limit` + 1 bytes of what comes out (a small bomb stays small).
/// A coding pressbook does not read is an error, never a body saved
/// compressed.
pub fn decode_content(
    body: &[u8],
    codings: &str,
    limit: u64,
    url: &str,
) -> Result<Vec<u8>, HttpError> {
    let mut data = body.to_vec();
    for coding in codings.rsplit(',').map(|c| c.trim().to_ascii_lowercase()) {
        let corrupt = |e: std::io::Error| HttpError::Corrupt {
            url: url.to_string(),
            encoding: coding.clone(),
            why: e.to_string(),
        };
        data = match coding.as_str() {
            "" | "identity" => continue,
            "gzip" | "x-gzip" => {
                inflate(flate2::read::MultiGzDecoder::new(&data[..]), limit).map_err(corrupt)?
            }
            // "deflate" is zlib by the standard, raw deflate by many servers.
            "deflate" => inflate(flate2::read::ZlibDecoder::new(&data[..]), limit)
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&data[..]), limit))
                .map_err(corrupt)?,
            _ => {
                return Err(HttpError::Encoding {
                    url: url.to_string(),
                    encoding: coding,
                })
            }
        };
    }
    Ok(data)
}

fn inflate(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(limit + 1).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn every_advertised_coding_is_undone_and_no_other() {
        let text = b"<p>The harbour opened at dawn.</p>".repeat(20);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&text).unwrap();
        let zlib = z.finish().unwrap();
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(&text).unwrap();
        let raw = d.finish().unwrap();
        let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        g.write_all(&zlib).unwrap();
        let gz_of_zlib = g.finish().unwrap();
        let u = "http://127.0.0.1/a";
        assert_eq!(decode_content(&zlib, "deflate", 1 << 20, u).unwrap(), text);
        assert_eq!(decode_content(&raw, "Deflate", 1 << 20, u).unwrap(), text);
        assert_eq!(
            decode_content(&gz_of_zlib, "deflate, x-gzip", 1 << 20, u).unwrap(),
            text
        );
        assert_eq!(decode_content(&text, "identity", 1 << 20, u).unwrap(), text);
        let e = decode_content(&text, "br", 1 << 20, u).unwrap_err();
        assert!(e.to_string().contains("compressed as \"br\""), "{e}");
        let e = decode_content(b"not compressed", "deflate", 1 << 20, u).unwrap_err();
        assert!(matches!(e, HttpError::Corrupt { .. }), "{e}");
        // A bomb stops one byte past the limit.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; 8 << 20]).unwrap();
        let bomb = z.finish().unwrap();
        assert_eq!(
            decode_content(&bomb, "deflate", 1000, u).unwrap().len(),
            1001
        );
    }

    #[test]
    fn retry_after_is_said_in_seconds_or_as_written() {
        assert_eq!(retry_after("120"), "120 s");
        assert_eq!(
            retry_after("Wed, 21 Oct 2026 07:28:00 GMT"),
            "Wed, 21 Oct 2026 07:28:00 GMT"
        );
    }

    #[test]
    fn limits_are_written_in_mib_or_kib() {
        assert_eq!(super::size(16 << 20), "16 MiB");
        assert_eq!(super::size(512 << 10), "512 KiB");
    }
}
