//! Polite HTTP: one blocking agent, one request at a time, a pause between
//! requests to the same host, size limits, a bounded number of redirects,
//! `http`/`https` only, and conditional requests for feeds.

use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant};

use ureq::ResponseExt;

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
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },
    #[error("{url} did not answer within {secs} s")]
    Timeout { url: String, secs: u64 },
    #[error("{url} is larger than the {} limit", size(*limit))]
    TooLarge {
        url: String,
        /// In bytes.
        limit: u64,
    },
    #[error("{url} redirects more than {max} times")]
    Redirects { url: String, max: u32 },
    #[error("{url}: {message}")]
    Other { url: String, message: String },
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
            .max_redirects(opts.max_redirects)
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

    /// GET `url`, reading at most `limit` bytes of body. With `cond`, a
    /// conditional request.
    pub fn get(
        &mut self,
        url: &str,
        accept: &str,
        limit: u64,
        cond: Option<&Validators>,
    ) -> Result<Fetched, HttpError> {
        let parsed = url::Url::parse(url).map_err(|_| HttpError::Scheme(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(HttpError::Scheme(url.to_string()));
        }
        let host = parsed.host_str().unwrap_or_default().to_string();
        self.wait_for_host(&host);
        let result = self.request(url, accept, limit, cond);
        // The pause runs from the end of this exchange, body and all.
        self.last.insert(host, Instant::now());
        result
    }

    /// One GET, after the pause for its host.
    fn request(
        &mut self,
        url: &str,
        accept: &str,
        limit: u64,
        cond: Option<&Validators>,
    ) -> Result<Fetched, HttpError> {
        let mut req = self.agent.get(url).header("Accept", accept);
        if let Some(v) = cond {
            if let Some(e) = &v.etag {
                req = req.header("If-None-Match", e);
            }
            if let Some(m) = &v.last_modified {
                req = req.header("If-Modified-Since", m);
            }
        }
        let mut resp = req.call().map_err(|e| self.error(url, e))?;
        let status = resp.status().as_u16();
        if status == 304 {
            return Ok(Fetched::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(HttpError::Status {
                url: url.to_string(),
                status,
            });
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        if let Some(len) = header("content-length").and_then(|l| l.parse::<u64>().ok()) {
            if len > limit {
                return Err(HttpError::TooLarge {
                    url: url.to_string(),
                    limit,
                });
            }
        }
        let final_url = resp.get_uri().to_string();
        // Read one byte past the limit to tell "exactly at" from "over".
        let mut body = Vec::new();
        resp.body_mut()
            .with_config()
            .limit(u64::MAX)
            .reader()
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| self.error(url, ureq::Error::Io(e)))?;
        if body.len() as u64 > limit {
            return Err(HttpError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        Ok(Fetched::Body(Response {
            url: final_url,
            content_type,
            body,
            validators,
        }))
    }

    fn wait_for_host(&self, host: &str) {
        if let Some(t) = self.last.get(host) {
            let since = t.elapsed();
            if since < self.opts.host_delay {
                std::thread::sleep(self.opts.host_delay - since);
            }
        }
    }

    fn error(&self, url: &str, e: ureq::Error) -> HttpError {
        let url = url.to_string();
        match e {
            ureq::Error::Timeout(_) => HttpError::Timeout {
                url,
                secs: self.opts.timeout.as_secs().max(1),
            },
            ureq::Error::TooManyRedirects => HttpError::Redirects {
                url,
                max: self.opts.max_redirects,
            },
            ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::TimedOut => {
                HttpError::Timeout {
                    url,
                    secs: self.opts.timeout.as_secs().max(1),
                }
            }
            other => HttpError::Other {
                url,
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_are_written_in_mib_or_kib() {
        assert_eq!(super::size(16 << 20), "16 MiB");
        assert_eq!(super::size(512 << 10), "512 KiB");
    }
}
