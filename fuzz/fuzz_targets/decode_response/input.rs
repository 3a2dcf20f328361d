//! The input's layout (see main.rs): which resource, operation, status, header and key, and
//! the body every answer carries.

use bytes::Bytes;
use clevertim_core::Id;

pub(crate) const STATUSES: &[u16] = &[
    200, 201, 204, 299, 400, 401, 403, 404, 409, 413, 429, 500, 501, 502, 503, 504, 301, 304, 100,
    999, 202, 206, 422, 418,
];

#[derive(Debug, Clone, Copy)]
pub(crate) enum Op {
    Load,
    All,
    SaveNew,
    SaveExisting,
    DeleteKey,
    LoadMany,
    Reload,
    Customer,
    LoadThenSave,
    SaveThenLoad,
    Delete,
}

pub(crate) const OPS: &[Op] = &[
    Op::Load,
    Op::All,
    Op::SaveNew,
    Op::SaveExisting,
    Op::DeleteKey,
    Op::LoadMany,
    Op::Reload,
    Op::Customer,
    Op::LoadThenSave,
    Op::SaveThenLoad,
    Op::Delete,
];

pub(crate) struct Plan {
    pub(crate) op: Op,
    pub(crate) status: u16,
    pub(crate) header: u8,
    pub(crate) with_custom_field: bool,
    pub(crate) key: Id,
    pub(crate) body: Bytes,
}

pub(crate) fn plan(data: &[u8]) -> Option<(u8, Plan)> {
    let (&[resource, op, status, flags, key_byte], rest) = data.split_first_chunk::<5>()?;
    let len = usize::from(key_byte & 0x1f).min(rest.len());
    let (key_text, body) = rest.split_at(len);
    let key_text = String::from_utf8_lossy(key_text).into_owned();
    let key = match key_text.parse::<i64>() {
        Ok(n) if key_byte & 0x80 != 0 => Id::Int(n),
        _ => Id::from(key_text),
    };
    Some((
        resource,
        Plan {
            op: OPS[usize::from(op) % OPS.len()],
            status: STATUSES[usize::from(status) % STATUSES.len()],
            header: flags & 0x07,
            with_custom_field: flags & 0x08 != 0,
            key,
            body: Bytes::copy_from_slice(body),
        },
    ))
}
