//! Replaying: the recorded answer to a request, or why there is none.

use bytes::Bytes;
use clevertim_core::{BodyLimit, TransportError, TransportErrorKind};

use super::handle::OpenCassette;
use crate::MODE_ENV;
use crate::format::RecordedRequest;

/// `response` if its body is within `limit`; else the error a real transport would give.
pub(super) fn within_limit(
    response: http::Response<Bytes>,
    limit: BodyLimit,
) -> Result<http::Response<Bytes>, TransportError> {
    limit.check_length(u64::try_from(response.body().len()).unwrap_or(u64::MAX))?;
    Ok(response)
}

/// Why one recorded interaction is not the answer.
pub(super) struct Candidate {
    index: usize,
    request: String,
    reasons: Vec<String>,
    score: usize,
}

impl OpenCassette {
    /// The recorded answer to `sent`, marked used; or why none fits.
    pub(super) fn find(
        &self,
        sent: &RecordedRequest,
    ) -> Result<http::Response<Bytes>, Vec<Candidate>> {
        let mut tape = self.lock();
        let mut candidates = Vec::new();
        let mut repeat = None;
        let mut chosen = None;
        for (index, episode) in tape.episodes.iter().enumerate() {
            let recorded = &episode.interaction.request;
            let reasons: Vec<String> = self
                .settings
                .matchers
                .iter()
                .filter_map(|m| m.check(sent, recorded).err())
                .map(|m| m.to_string())
                .collect();
            if reasons.is_empty() {
                if episode.uses == 0 {
                    chosen = Some(index);
                    break;
                }
                repeat = Some(index);
                candidates.push(Candidate {
                    index,
                    request: recorded.to_string(),
                    reasons: vec![format!(
                        "already used (identical requests replay each recorded answer once; \
                         see allow_playback_repeats)"
                    )],
                    score: 0,
                });
            } else {
                candidates.push(Candidate {
                    index,
                    request: recorded.to_string(),
                    score: reasons.len(),
                    reasons,
                });
            }
        }
        let index = match (chosen, repeat) {
            (Some(index), _) => index,
            (None, Some(index)) if self.settings.allow_repeats => index,
            _ => return Err(candidates),
        };
        let episode = &mut tape.episodes[index];
        episode.uses += 1;
        tracing::debug!(cassette = %self.settings.path.display(), index, request = %sent, "replayed");
        // Checked when loaded; recorded ones come from real responses.
        episode.interaction.response.to_http().map_err(|e| {
            vec![Candidate {
                index,
                request: e,
                reasons: vec!["the recorded response is invalid".into()],
                score: 0,
            }]
        })
    }

    /// The error for a request nothing answers: the closest candidates and how to re-record.
    pub(super) fn unmatched(
        &self,
        sent: &RecordedRequest,
        mut candidates: Vec<Candidate>,
    ) -> TransportError {
        candidates.sort_by_key(|c| (c.score, c.index));
        let total = self.lock().episodes.len();
        let mut message = format!(
            "clevertim-fixtures: no recorded interaction matches this request\n  \
             cassette: {} (mode: {}, {total} interaction(s))\n  request:  {sent}\n",
            self.settings.path.display(),
            self.mode,
        );
        if candidates.is_empty() {
            message.push_str("the cassette holds no interaction\n");
        } else {
            message.push_str("closest recorded interactions:\n");
            for c in candidates.iter().take(3) {
                message.push_str(&format!(
                    "  #{} {}\n      {}\n",
                    c.index,
                    c.request,
                    c.reasons.join("; ")
                ));
            }
        }
        message.push_str(&format!(
            "to re-record it: {MODE_ENV}=rerecord cargo test ... \
             (or {MODE_ENV}=new to record only what is missing)"
        ));
        tracing::warn!(cassette = %self.settings.path.display(), request = %sent, "unmatched request");
        TransportError::new(TransportErrorKind::Other, message)
    }
}
