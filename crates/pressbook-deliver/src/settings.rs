//! Where `send` finds its SMTP server: the `PRESSBOOK_SMTP` environment
//! variable, else the user's config file. Never the digest folder (it is
//! shared and committed; a password there would leak), and the password is
//! never shown: every printable form of the settings masks it.

use std::fmt;
use std::path::{Path, PathBuf};

/// The environment variable holding the SMTP URL.
pub const ENV: &str = "PRESSBOOK_SMTP";

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (`smtps://`, usually port 465).
    Tls,
    /// STARTTLS, refusing to go on without it (`?tls=required`).
    StartTls,
    /// STARTTLS when the server offers it (`?tls=opportunistic`).
    StartTlsIfOffered,
    /// No encryption (`smtp://` alone): for a relay on this machine.
    Plain,
}

/// A password that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

/// Parsed SMTP settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub security: Security,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// A PEM file of extra trusted certificates (`?ca=FILE`): for a relay
    /// whose certificate comes from a company's own authority.
    pub ca: Option<PathBuf>,
    /// The sender from the config file, if it names one.
    pub from: Option<String>,
    /// Where the settings came from, for messages.
    pub origin: String,
    /// The most one message may take, connection to last reply
    /// (`?timeout=SECS`, default [`DEFAULT_TIMEOUT_SECS`]).
    pub timeout: std::time::Duration,
    /// `?insecure=true`: the password may cross the network unencrypted
    /// (plain `smtp://` to a host other than this machine).
    pub insecure: bool,
}

/// The deadline of one message when the URL sets none: room for a 50 MB
/// book on a slow line.
pub const DEFAULT_TIMEOUT_SECS: u64 = 300;

/// The URL's `?…` settings.
#[derive(Default)]
struct Query {
    tls: Option<String>,
    ca: Option<PathBuf>,
    timeout: Option<u64>,
    insecure: bool,
}

impl Query {
    fn parse(
        query: Option<&str>,
        bad: &dyn Fn(&str) -> SettingsError,
    ) -> Result<Query, SettingsError> {
        let mut q = Query::default();
        for pair in query
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter(|p| !p.is_empty())
        {
            match pair.split_once('=') {
                Some(("tls", v)) => q.tls = Some(v.to_string()),
                Some(("ca", v)) => {
                    let file = percent_decode(v)
                        .filter(|f| !f.is_empty())
                        .ok_or_else(|| bad("ca= must name a PEM file"))?;
                    q.ca = Some(PathBuf::from(file));
                }
                Some(("timeout", v)) => {
                    let secs = v.parse::<u64>().ok().filter(|s| (1..=86_400).contains(s));
                    q.timeout = Some(secs.ok_or_else(|| bad("timeout= must be a number of seconds from 1 to 86400"))?);
                }
                Some(("insecure", "true")) => q.insecure = true,
                Some(("insecure", "false")) => q.insecure = false,
                _ => {
                    return Err(bad(
                        "the query settings are tls=required|opportunistic|none, ca=FILE, timeout=SECS and insecure=true",
                    ))
                }
            }
        }
        Ok(q)
    }
}

/// Why the settings cannot be used. Messages never contain the password.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("no SMTP server is set: set {ENV} (e.g. smtps://user:password@smtp.example.org:465) or write {} with [smtp] url = \"…\"", .0.display())]
    Missing(PathBuf),
    #[error("{origin} is not a usable SMTP URL: {why} (expected smtps://user:password@host:465, smtp://host:587?tls=required or smtp://host:25)")]
    BadUrl { origin: String, why: String },
    #[error("cannot read {}: {why}", .path.display())]
    Config { path: PathBuf, why: String },
}

impl SmtpSettings {
    /// Parses `smtp[s]://[user[:password]@]host[:port][?tls=required|opportunistic|none][&ca=FILE]`.
    /// User and password may be percent-encoded (`%40` for `@`).
    pub fn parse(url: &str, origin: &str) -> Result<Self, SettingsError> {
        let bad = |why: &str| SettingsError::BadUrl {
            origin: origin.to_string(),
            why: why.to_string(),
        };
        let (scheme, rest) = url
            .trim()
            .split_once("://")
            .ok_or_else(|| bad("it has no scheme"))?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('/') {
            return Err(bad("it has a path; only host and port are used"));
        }
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let (user, password) = match userinfo {
            Some(u) => {
                let (name, pass) = match u.split_once(':') {
                    Some((n, p)) => (n, Some(p)),
                    None => (u, None),
                };
                let name = percent_decode(name)
                    .ok_or_else(|| bad("the user name is not valid percent-encoding"))?;
                let pass = match pass {
                    Some(p) => {
                        Some(Secret(percent_decode(p).ok_or_else(|| {
                            bad("the password is not valid percent-encoding")
                        })?))
                    }
                    None => None,
                };
                (Some(name).filter(|n| !n.is_empty()), pass)
            }
            None => (None, None),
        };
        let (host, port) =
            split_host_port(hostport).ok_or_else(|| bad("the port is not a number"))?;
        if host.is_empty() {
            return Err(bad("it names no host"));
        }
        let Query {
            tls,
            ca,
            timeout,
            insecure,
        } = Query::parse(query, &bad)?;
        let security = match (scheme.to_ascii_lowercase().as_str(), tls.as_deref()) {
            ("smtps", None) => Security::Tls,
            ("smtps", Some(_)) => return Err(bad("smtps:// is always TLS; drop ?tls=")),
            ("smtp", Some("required")) => Security::StartTls,
            ("smtp", Some("opportunistic")) => Security::StartTlsIfOffered,
            ("smtp", None | Some("none")) => Security::Plain,
            ("smtp", Some(_)) => return Err(bad("tls= must be required, opportunistic or none")),
            _ => return Err(bad("the scheme must be smtp or smtps")),
        };
        if ca.is_some() && security == Security::Plain {
            return Err(bad("ca= needs TLS: use smtps:// or ?tls=required"));
        }
        let port = port.unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls | Security::StartTlsIfOffered => 587,
            Security::Plain => 25,
        });
        Ok(SmtpSettings {
            security,
            host,
            port,
            user,
            password,
            ca,
            from: None,
            origin: origin.to_string(),
            timeout: std::time::Duration::from_secs(timeout.unwrap_or(DEFAULT_TIMEOUT_SECS)),
            insecure,
        })
    }

    /// The settings from `PRESSBOOK_SMTP`, else from the config file.
    pub fn load(env: Option<&str>, config: &Path) -> Result<Self, SettingsError> {
        if let Some(url) = env.filter(|u| !u.trim().is_empty()) {
            return Self::parse(url, ENV);
        }
        let text = match std::fs::read_to_string(config) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SettingsError::Missing(config.to_path_buf()))
            }
            Err(e) => {
                return Err(SettingsError::Config {
                    path: config.to_path_buf(),
                    why: e.to_string(),
                })
            }
        };
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            smtp: Option<Smtp>,
        }
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Smtp {
            url: String,
            from: Option<String>,
        }
        // toml's messages quote the offending line, which may hold the
        // password: say only where the problem is.
        let file: File = toml::from_str(&text).map_err(|e| SettingsError::Config {
            path: config.to_path_buf(),
            why: format!(
                "not valid TOML with an [smtp] table (url, from){}",
                e.span()
                    .map(|s| format!(", at line {}", text[..s.start].matches('\n').count() + 1))
                    .unwrap_or_default()
            ),
        })?;
        let smtp = file
            .smtp
            .ok_or_else(|| SettingsError::Missing(config.to_path_buf()))?;
        let mut s = Self::parse(&smtp.url, &config.display().to_string())?;
        s.from = smtp.from;
        Ok(s)
    }

    /// The URL with the password masked, for messages.
    pub fn masked(&self) -> String {
        let scheme = if self.security == Security::Tls {
            "smtps"
        } else {
            "smtp"
        };
        let user = match (&self.user, &self.password) {
            (Some(u), Some(_)) => format!("{u}:****@"),
            (Some(u), None) => format!("{u}@"),
            (None, Some(_)) => ":****@".to_string(),
            (None, None) => String::new(),
        };
        let mut query: Vec<String> = match self.security {
            Security::StartTls => vec!["tls=required".into()],
            Security::StartTlsIfOffered => vec!["tls=opportunistic".into()],
            _ => vec![],
        };
        query.extend(self.ca.iter().map(|f| format!("ca={}", f.display())));
        if self.timeout.as_secs() != DEFAULT_TIMEOUT_SECS {
            query.push(format!("timeout={}", self.timeout.as_secs()));
        }
        if self.insecure {
            query.push("insecure=true".into());
        }
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        format!("{scheme}://{user}{}{query}", self.endpoint())
    }

    /// Whether a password sent with these settings could cross the network
    /// unencrypted: no TLS required, and a host other than this machine.
    pub fn exposes_password(&self) -> bool {
        let plain = matches!(self.security, Security::Plain | Security::StartTlsIfOffered);
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        self.user.is_some() && plain && !loopback
    }

    /// `host:port`, as messages name the server.
    pub fn endpoint(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Removes the password (as typed, percent-encoded or base64 inside an
    /// AUTH exchange) from text that came from elsewhere, e.g. a server reply.
    pub fn scrub(&self, text: &str) -> String {
        let Some(p) = self
            .password
            .as_ref()
            .map(Secret::expose)
            .filter(|p| !p.is_empty())
        else {
            return text.to_string();
        };
        let mut out = text.replace(p, "****");
        let user = self.user.as_deref().unwrap_or("");
        for form in [
            base64(format!("\0{user}\0{p}").as_bytes()),
            base64(p.as_bytes()),
        ] {
            out = out.replace(&form, "****");
        }
        out
    }
}

/// The user's config file: `$XDG_CONFIG_HOME/pressbook/config.toml`, else
/// `~/.config/pressbook/config.toml`.
pub fn config_path() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from(".config"));
    base.join("pressbook").join("config.toml")
}

fn split_host_port(s: &str) -> Option<(String, Option<u16>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        return Some((host.to_string(), port));
    }
    match s.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), Some(p.parse().ok()?))),
        None => Some((s.to_string(), None)),
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_of_each_kind() {
        let s = SmtpSettings::parse("smtps://me%40example.org:pa%3Ass@smtp.example.org:465", ENV)
            .unwrap();
        assert_eq!(s.security, Security::Tls);
        assert_eq!((s.host.as_str(), s.port), ("smtp.example.org", 465));
        assert_eq!(s.user.as_deref(), Some("me@example.org"));
        assert_eq!(s.password.as_ref().unwrap().expose(), "pa:ss");
        let s = SmtpSettings::parse("smtp://relay.example.org:587?tls=required", ENV).unwrap();
        assert_eq!(
            (s.security, s.port, s.user),
            (Security::StartTls, 587, None)
        );
        let s = SmtpSettings::parse("smtp://127.0.0.1:2525", ENV).unwrap();
        assert_eq!((s.security, s.port), (Security::Plain, 2525));
        let s = SmtpSettings::parse("smtp://[::1]", ENV).unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.endpoint()),
            ("::1", 25, "[::1]:25".into())
        );
        assert_eq!(SmtpSettings::parse("smtps://h", ENV).unwrap().port, 465);
        let s = SmtpSettings::parse("smtp://h?tls=required&ca=/etc/relay%20ca.pem", ENV).unwrap();
        assert_eq!(s.ca.as_deref(), Some(Path::new("/etc/relay ca.pem")));
        assert_eq!(s.masked(), "smtp://h:587?tls=required&ca=/etc/relay ca.pem");
        assert!(
            SmtpSettings::parse("smtp://h?ca=/x.pem", ENV).is_err(),
            "ca= needs TLS"
        );
        assert!(SmtpSettings::parse("smtps://h?ca=", ENV).is_err());
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_the_password() {
        for url in [
            "http://u:hunter2@host",
            "smtp://u:hunter2@host:port",
            "smtp://u:hunter2@host?tls=maybe",
            "smtps://u:hunter2@host?tls=required",
            "u:hunter2@host",
            "smtp://u:hunter2@/",
            "smtp://u:hunter2%zz@host",
        ] {
            let e = SmtpSettings::parse(url, ENV).unwrap_err().to_string();
            assert!(!e.contains("hunter2"), "{e}");
            assert!(e.contains(ENV), "{e}");
        }
    }

    #[test]
    fn password_is_masked_everywhere() {
        let s = SmtpSettings::parse("smtps://me:hunter2@smtp.example.org", ENV).unwrap();
        assert_eq!(s.masked(), "smtps://me:****@smtp.example.org:465");
        assert!(!format!("{s:?}").contains("hunter2"));
        let auth = base64(b"\0me\0hunter2");
        assert_eq!(auth, "AG1lAGh1bnRlcjI=");
        let scrubbed = s.scrub(&format!("535 bad: hunter2 {auth}"));
        assert_eq!(scrubbed, "535 bad: **** ****");
    }

    #[test]
    fn config_file_and_environment() {
        let dir = std::env::temp_dir().join(format!("pressbook-smtp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        assert!(matches!(
            SmtpSettings::load(None, &path),
            Err(SettingsError::Missing(_))
        ));
        std::fs::write(&path, "[smtp]\nurl = \"smtp://u:hunter2@mail.example.org:2525\"\nfrom = \"Me <me@example.org>\"\n").unwrap();
        let s = SmtpSettings::load(None, &path).unwrap();
        assert_eq!(
            (s.port, s.from.as_deref()),
            (2525, Some("Me <me@example.org>"))
        );
        // The environment wins over the file.
        let s = SmtpSettings::load(Some("smtp://other.example.org"), &path).unwrap();
        assert_eq!((s.host.as_str(), s.from), ("other.example.org", None));
        std::fs::write(
            &path,
            "[smtp]\nurl = \"smtp://u:hunter2@h\"\npassword = \"hunter2\"\n",
        )
        .unwrap();
        let e = SmtpSettings::load(None, &path).unwrap_err().to_string();
        assert!(!e.contains("hunter2") && e.contains("line"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
