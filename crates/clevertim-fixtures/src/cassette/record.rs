//! Recording: a request sent through the inner transport, and the exchange kept.

use bytes::Bytes;
use clevertim_core::{TransportError, TransportErrorKind};

use super::handle::{Episode, OpenCassette};
use crate::MODE_ENV;
use crate::format::{Interaction, RecordedRequest, RecordedResponse, keep_headers};

impl OpenCassette {
    /// Sends `request` through the inner transport and keeps the exchange (`sent` is the
    /// request as the cassette shows it, scrubbed), marked used.
    pub(super) async fn record(
        &self,
        request: http::Request<Bytes>,
        sent: RecordedRequest,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let inner = self.settings.inner.as_ref().ok_or_else(|| {
            TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "cassette {} has no inner transport",
                    self.settings.path.display()
                ),
            )
        })?;
        let response = inner.send(request).await.map_err(|e| {
            if matches!(
                e.kind(),
                TransportErrorKind::Connect | TransportErrorKind::Tls
            ) {
                // Most often the first run of a test with no server at hand: say what to set.
                let message = format!(
                    "cassette {} is recording (mode: {}) and the server could not be reached: \
                     {e}\n  to record, give the test a reachable server and its key (the \
                     variables your test reads, e.g. CLEVERTIM_ENDPOINT and CLEVERTIM_API_KEY); \
                     to replay only, commit the cassette and set {MODE_ENV}=replay",
                    self.settings.path.display(),
                    self.mode,
                );
                e.context(message)
            } else {
                e
            }
        })?;
        let mut stored = sent;
        stored.headers.retain(|name, _| {
            name != "authorization" && self.settings.request_headers.iter().any(|k| k == name)
        });
        let mut interaction = Interaction {
            request: stored,
            response: RecordedResponse {
                headers: keep_headers(response.headers(), &self.settings.response_headers),
                ..RecordedResponse::from_http(&response, &[])
            },
        };
        self.settings.secrets.scrub_interaction(&mut interaction);
        if let Some(hook) = &self.settings.before_save {
            hook(&mut interaction);
            self.settings.secrets.scrub_interaction(&mut interaction);
        }
        tracing::debug!(cassette = %self.settings.path.display(), request = %interaction.request, status = interaction.response.status, "recorded");
        let mut tape = self.lock();
        tape.episodes.push(Episode {
            interaction,
            uses: 1,
        });
        tape.unsaved += 1;
        Ok(response)
    }
}
