//! Keeping secrets out of cassettes: scrubbing on the way in, scanning on the way out.

use base64::Engine as _;
use serde_json::Value;

use crate::format::{Body, Interaction, RecordedRequest, RecordedResponse};

/// What replaces the `Authorization` header's value wherever a request is shown.
///
/// ```
/// # fn check(cassette: &clevertim_fixtures::Cassette) {
/// for sent in cassette.sent_requests() {
///     assert_eq!(sent.headers["authorization"], clevertim_fixtures::AUTH_PLACEHOLDER);
/// }
/// # }
/// ```
pub const AUTH_PLACEHOLDER: &str = "[REDACTED]";

/// What replaces a secret given with [`CassetteBuilder::secret`](crate::CassetteBuilder::secret).
///
/// ```
/// # fn check(cassette: &clevertim_fixtures::Cassette) {
/// // A key sent in a query, as the cassette keeps it:
/// let sent = &cassette.sent_requests()[0];
/// assert_eq!(sent.query[0], ("key".to_owned(), clevertim_fixtures::SECRET_PLACEHOLDER.to_owned()));
/// # }
/// ```
pub const SECRET_PLACEHOLDER: &str = "[SECRET]";

/// The secrets of one cassette, each with its placeholder; also their Basic-credential forms.
#[derive(Clone, Default)]
pub(crate) struct Secrets {
    pairs: Vec<(String, String)>,
}

impl Secrets {
    /// Adds `secret` (ignored if empty), and its `base64("secret:X")` / `base64(secret)` forms.
    pub(crate) fn add(&mut self, secret: &str, placeholder: &str) {
        if secret.is_empty() {
            return;
        }
        let engine = base64::engine::general_purpose::STANDARD;
        for derived in [format!("{secret}:X"), format!("{secret}:")] {
            // The placeholder itself (not an encoded one, which would look like a credential);
            // padded and unpadded forms.
            let encoded = engine.encode(derived);
            let trimmed = encoded.trim_end_matches('=').to_owned();
            self.push(encoded, placeholder.to_owned());
            self.push(trimmed, placeholder.to_owned());
        }
        self.push(secret.to_owned(), placeholder.to_owned());
    }

    fn push(&mut self, secret: String, placeholder: String) {
        if !self.pairs.iter().any(|(s, _)| *s == secret) {
            self.pairs.push((secret, placeholder));
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    }

    /// The raw secrets, for the final scan.
    pub(crate) fn raw(&self) -> Vec<&str> {
        self.pairs.iter().map(|(s, _)| s.as_str()).collect()
    }

    pub(crate) fn scrub_str(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (secret, placeholder) in &self.pairs {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), placeholder);
            }
        }
        out
    }

    fn scrub_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for (secret, placeholder) in &self.pairs {
            out = replace_bytes(&out, secret.as_bytes(), placeholder.as_bytes());
        }
        out
    }

    fn scrub_json(&self, value: &mut Value) {
        match value {
            Value::String(s) => *s = self.scrub_str(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            Value::Object(map) => {
                let old = std::mem::take(map);
                for (key, mut v) in old {
                    self.scrub_json(&mut v);
                    map.insert(self.scrub_str(&key), v);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    pub(crate) fn scrub_body(&self, body: &mut Body) {
        match body {
            Body::Json(value) => self.scrub_json(value),
            Body::Text(text) => *text = self.scrub_str(text),
            Body::Base64(data) => {
                let engine = base64::engine::general_purpose::STANDARD;
                if let Ok(bytes) = engine.decode(data.as_bytes()) {
                    *data = engine.encode(self.scrub_bytes(&bytes));
                }
            }
        }
    }

    pub(crate) fn scrub_request(&self, request: &mut RecordedRequest) {
        request.path = self.scrub_str(&request.path);
        for (k, v) in &mut request.query {
            *k = self.scrub_str(k);
            *v = self.scrub_str(v);
        }
        for (name, value) in &mut request.headers {
            if name == "authorization" {
                *value = AUTH_PLACEHOLDER.to_owned();
            } else {
                *value = self.scrub_str(value);
            }
        }
        self.scrub_body(&mut request.body);
    }

    pub(crate) fn scrub_response(&self, response: &mut RecordedResponse) {
        response.headers.remove("authorization");
        for value in response.headers.values_mut() {
            *value = self.scrub_str(value);
        }
        self.scrub_body(&mut response.body);
    }

    pub(crate) fn scrub_interaction(&self, interaction: &mut Interaction) {
        self.scrub_request(&mut interaction.request);
        interaction.request.headers.remove("authorization");
        self.scrub_response(&mut interaction.response);
    }
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Where `text` (e.g. a cassette file) holds a credential: an HTTP Basic credential
/// (`Basic ` followed by base64 that decodes to `user:password`), or one of `known` secrets.
///
/// Each finding says what and where (byte offset), never the secret itself. Used before every
/// write, and by the repository's secret-scan test.
///
/// ```
/// use clevertim_fixtures::scan_for_secrets;
/// assert!(scan_for_secrets(r#"{"auth":"Basic QUJDOlg="}"#, &[]).len() == 1);
/// assert!(scan_for_secrets(r#"{"key":"ABC123"}"#, &["ABC123"]).len() == 1);
/// assert!(scan_for_secrets(r#"{"plan":"Basic plan", "a":"[REDACTED]"}"#, &["ABC123"]).is_empty());
/// ```
pub fn scan_for_secrets(text: &str, known: &[&str]) -> Vec<String> {
    let mut findings = Vec::new();
    let engine = base64::engine::general_purpose::STANDARD;
    let mut from = 0;
    while let Some(at) = text[from..].find("Basic ") {
        let start = from + at + "Basic ".len();
        let token: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
            .collect();
        let padded = match token.trim_end_matches('=').len() % 4 {
            2 => format!("{}==", token.trim_end_matches('=')),
            3 => format!("{}=", token.trim_end_matches('=')),
            _ => token.trim_end_matches('=').to_owned(),
        };
        let is_credential = token.len() >= 4
            && engine
                .decode(padded.as_bytes())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .is_some_and(|decoded| decoded.contains(':'));
        if is_credential {
            findings.push(format!("an HTTP Basic credential at byte {}", from + at));
        }
        from = start;
    }
    for (i, secret) in known.iter().enumerate() {
        if secret.is_empty() {
            continue;
        }
        if let Some(at) = text.find(secret) {
            findings.push(format!("configured secret #{} at byte {at}", i + 1));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ITHkCPbXdOWfGNTj5qOzNJkceftfRWwGXtrU39exmW0UzVwKUiZ1343";

    #[test]
    fn scrubs_plain_and_basic_forms_everywhere_in_json() {
        let mut secrets = Secrets::default();
        secrets.add(KEY, SECRET_PLACEHOLDER);
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:X"));
        let mut body = Body::Json(serde_json::json!({
            "key": KEY,
            KEY: [format!("prefix-{KEY}-suffix"), 3],
            "auth": format!("Basic {basic}"),
        }));
        secrets.scrub_body(&mut body);
        let text = serde_json::to_string(&body).unwrap();
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains(&basic), "{text}");
        assert!(text.contains("prefix-[SECRET]-suffix"), "{text}");
        assert!(text.contains(r#""auth":"Basic [SECRET]""#), "{text}");
        assert!(scan_for_secrets(&text, &[KEY]).is_empty(), "{text}");
    }

    #[test]
    fn scrubs_binary_bodies() {
        let mut secrets = Secrets::default();
        secrets.add("s3cr3t", "[S]");
        let engine = base64::engine::general_purpose::STANDARD;
        let mut bytes = vec![0xff, 0x00];
        bytes.extend_from_slice(b"xs3cr3ty");
        let mut body = Body::Base64(engine.encode(&bytes));
        secrets.scrub_body(&mut body);
        let Body::Base64(data) = body else {
            panic!("still base64")
        };
        assert_eq!(engine.decode(data).unwrap(), b"\xff\x00x[S]y");
    }

    #[test]
    fn empty_secret_is_ignored() {
        let mut secrets = Secrets::default();
        secrets.add("", "[S]");
        assert_eq!(secrets.scrub_str("abc"), "abc");
    }

    #[test]
    fn scanner_finds_unpadded_basic_and_reports_no_secret_text() {
        let findings = scan_for_secrets("x Basic dXNlcjpwdw y", &["zz"]);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(findings[0].contains("Basic credential at byte 2"));
        let findings = scan_for_secrets("token=ABCDEF", &["ABCDEF"]);
        assert_eq!(findings, vec!["configured secret #1 at byte 6".to_owned()]);
    }
}
