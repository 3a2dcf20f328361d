//! The protocol's server-side scripts: each step is one atomic script, run by EVALSHA and
//! loaded on demand (the `redis` crate sends `SCRIPT LOAD` on `NOSCRIPT`).

use std::sync::LazyLock;

use redis::Script;

macro_rules! script {
    ($file:literal) => {
        LazyLock::new(|| {
            Script::new(concat!(
                include_str!("lua/common.lua"),
                "\n",
                include_str!(concat!("lua/", $file))
            ))
        })
    };
}

pub(crate) static READ: LazyLock<Script> = script!("read.lua");
pub(crate) static BEGIN: LazyLock<Script> = script!("begin.lua");
pub(crate) static ADMIT: LazyLock<Script> = script!("admit.lua");
pub(crate) static END: LazyLock<Script> = script!("end.lua");
pub(crate) static GET: LazyLock<Script> = script!("get.lua");
pub(crate) static FORGET: LazyLock<Script> = script!("forget.lua");
pub(crate) static FLUSH: LazyLock<Script> = script!("flush.lua");
pub(crate) static TAKE: LazyLock<Script> = script!("take.lua");
pub(crate) static PAUSE: LazyLock<Script> = script!("pause.lua");
