//! Forward proxies: what the builder asks curl for, and naming a proxy without its
//! credentials.

use clevertim_core::{ProxyChoice, redact_proxy_url as redact};

/// The proxy a request to `scheme` goes through under `choice`, credentials redacted, if one
/// is set (for the environment, as curl reads it; `NO_PROXY` is not weighed: this only names
/// the proxy a refusal came from).
pub(crate) fn name_for(choice: &ProxyChoice, scheme: Option<&str>) -> Option<String> {
    match choice {
        ProxyChoice::Off => None,
        ProxyChoice::Url(url) => Some(redact(url)),
        ProxyChoice::Env => {
            let names: &[&str] = if scheme == Some("https") {
                &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
            } else {
                &["http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"]
            };
            names
                .iter()
                .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
                .map(|url| redact(&url))
        }
    }
}

/// After an `https` request through a proxy failed to connect: whether the proxy refused
/// the tunnel for want of credentials (`407`, or tinyproxy's `401`), found by opening
/// one `CONNECT` again with curl itself, as the request did (isahc's error keeps only
/// curl's code, the same for a proxy that refused and one that could not be reached).
/// Blocks for `timeout` at most; on the failure path only.
pub(crate) fn refused_tunnel(
    choice: &ProxyChoice,
    origin: &http::Uri,
    timeout: std::time::Duration,
) -> bool {
    if matches!(choice, ProxyChoice::Off) || origin.scheme_str() != Some("https") {
        return false;
    }
    let (Some(host), Some(port)) = (origin.host(), origin.port_u16().or(Some(443))) else {
        return false;
    };
    let mut easy = curl::easy::Easy::new();
    let mut setup = || -> Result<(), curl::Error> {
        easy.url(&format!("https://{host}:{port}/"))?;
        if let ProxyChoice::Url(url) = choice {
            easy.proxy(url)?;
            easy.noproxy("")?;
        }
        easy.connect_only(true)?;
        easy.connect_timeout(timeout)?;
        easy.timeout(timeout)?;
        Ok(())
    };
    if setup().is_err() {
        return false;
    }
    // Its own outcome does not matter (the TLS inside may well fail): only the proxy's
    // answer to `CONNECT`.
    let _ = easy.perform();
    matches!(easy.http_connectcode(), Ok(401 | 407))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show() {
        let choice = ProxyChoice::Url("http://alice:s3cret@proxy.corp:3128".into());
        assert_eq!(format!("{choice:?}"), r#"Url("http://proxy.corp:3128")"#);
        assert_eq!(
            name_for(&choice, Some("https")).as_deref(),
            Some("http://proxy.corp:3128")
        );
        assert_eq!(redact("not a url at all s3cret@"), "(unreadable URL)");
        assert_eq!(name_for(&ProxyChoice::Off, Some("http")), None);
    }
}
