//! A CRUD loop for instruction counts (`docs/PERFORMANCE.md`, "Instruction counts"):
//! `crud_loop sdk N` runs the plain-main scenario's loop N times through the SDK on a
//! current-thread runtime, `crud_loop socket N` sends the same three requests per loop over
//! a blocking keep-alive socket and decodes the answers. Both against an in-process sandbox,
//! so that a run under `valgrind --tool=callgrind` counts client and server alike; the
//! difference between runs of N and 3N loops, divided by 2N, is one loop's count.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::time::Instant;

use clevertim::{Contact, Session};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One request over a keep-alive socket; the answer's body.
fn exchange(socket: &mut BufReader<TcpStream>, head: &str, body: &[u8]) -> Result<Vec<u8>> {
    let mut request = format!("{head}content-length: {}\r\n\r\n", body.len()).into_bytes();
    request.extend_from_slice(body);
    socket.get_mut().write_all(&request)?;
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        if socket.read_line(&mut line)? == 0 {
            return Err("the server closed the connection".into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse()?;
            }
        }
    }
    let mut answer = vec![0; length];
    socket.read_exact(&mut answer)?;
    Ok(answer)
}

/// The one contact an answer carries.
fn contact(answer: &[u8]) -> Result<Contact> {
    let envelope: serde_json::Value = serde_json::from_slice(answer)?;
    Ok(serde_json::from_value(envelope["content"][0].clone())?)
}

fn main() -> Result<()> {
    use base64::Engine as _;
    let mut args = std::env::args().skip(1);
    let (Some(side), Some(loops)) = (args.next(), args.next()) else {
        return Err("usage: crud_loop sdk|socket LOOPS".into());
    };
    let loops: u32 = loops.parse()?;
    let sandbox = clevertim_sandbox::Sandbox::builder().empty(true).spawn()?;
    let started = Instant::now();
    if side == "sdk" {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let session = Session::builder(sandbox.api_key())
            .endpoint(sandbox.endpoint())
            .build()?;
        runtime.block_on(async {
            for _ in 0..loops {
                let mut mike = Contact::new();
                mike.set_first_name("Mike").set_last_name("Johnson");
                mike.emails_mut().push("mike@example.com".into());
                session.save(&mut mike).await?;
                let key = mike.key().ok_or("saved without a key")?;
                let loaded: Contact = session.load(key.clone()).await?;
                std::hint::black_box(loaded);
                mike.set_title("CEO");
                session.save(&mut mike).await?;
                session.delete(&mut mike).await?;
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })?;
    } else {
        let tcp = TcpStream::connect(sandbox.addr())?;
        tcp.set_nodelay(true)?;
        let mut socket = BufReader::new(tcp);
        let auth =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:X", sandbox.api_key()));
        let head = |method: &str, path: &str| {
            format!(
                "{method} {path} HTTP/1.1\r\nhost: {}\r\nauthorization: Basic {auth}\r\n\
                 accept: application/json\r\ncontent-type: application/json\r\n",
                sandbox.addr()
            )
        };
        let new = br#"{"fn":"Mike","ln":"Johnson","email":["mike@example.com"]}"#;
        for _ in 0..loops {
            let created = contact(&exchange(&mut socket, &head("POST", "/api/contact"), new)?)?;
            let id = created.key().ok_or("created without a key")?.to_string();
            let path = format!("/api/contact/{id}");
            let changed = format!(
                r#"{{"id":{id},"fn":"Mike","ln":"Johnson","title":"CEO","email":["mike@example.com"]}}"#
            );
            let updated = exchange(&mut socket, &head("PUT", &path), changed.as_bytes())?;
            std::hint::black_box(contact(&updated)?);
            exchange(&mut socket, &head("DELETE", &path), b"")?;
        }
    }
    let per_loop = started.elapsed().as_secs_f64() * 1e6 / f64::from(loops.max(1));
    eprintln!("{side}: {per_loop:.1} µs per loop");
    Ok(())
}
