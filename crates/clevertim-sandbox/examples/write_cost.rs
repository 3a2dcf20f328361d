//! What one `POST /contact` costs with 200, 5,000 and 100,000 stored objects, with the data
//! kept in a directory (`--data`) and in memory, over one keep-alive loopback connection.
//!
//! `cargo run --release -p clevertim-sandbox --example write_cost -- [POSTS] [SIZES...]`
//! (default: 200 posts at 200, 5000 and 100000 stored contacts). Prints one line per run:
//! the median and mean time of a POST, and the run's ratio to the in-memory median.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use clevertim_sandbox::Sandbox;
use serde_json::{Value, json};

/// A minimal HTTP/1.1 keep-alive client: enough to time requests without a client library
/// in the measure.
struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    auth: String,
    prefix: String,
}

impl Connection {
    fn open(sandbox: &Sandbox) -> std::io::Result<Connection> {
        use base64::Engine as _;
        let tcp = TcpStream::connect(sandbox.addr())?;
        tcp.set_nodelay(true)?;
        let prefix = sandbox
            .endpoint()
            .split_once("//")
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(_, path)| format!("/{path}"))
            .unwrap_or_default();
        Ok(Connection {
            reader: BufReader::new(tcp.try_clone()?),
            writer: tcp,
            auth: base64::engine::general_purpose::STANDARD
                .encode(format!("{}:X", sandbox.api_key())),
            prefix,
        })
    }

    /// Sends a POST and returns the answer's status.
    fn post(&mut self, path: &str, body: &[u8]) -> std::io::Result<u16> {
        let head = format!(
            "POST {}{path} HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Basic {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.prefix,
            self.auth,
            body.len()
        );
        self.writer.write_all(head.as_bytes())?;
        self.writer.write_all(body)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(status)
    }
}

/// `count` contacts as seed data.
fn contacts(count: usize) -> Value {
    let list: Vec<Value> = (0..count)
        .map(|i| json!({"fn": format!("Stored {i}"), "ln": "Contact", "email": [format!("c{i}@example.com")]}))
        .collect();
    json!({ "contact": list })
}

/// Times `posts` creates on a sandbox holding `stored` contacts; returns (median, mean).
fn measure(
    stored: usize,
    posts: usize,
    data: Option<&std::path::Path>,
) -> Result<(Duration, Duration), Box<dyn std::error::Error>> {
    let mut builder = Sandbox::builder().empty(true).seed_json(contacts(stored));
    if let Some(dir) = data {
        builder = builder.data_dir(dir);
    }
    let sandbox = builder.spawn()?;
    let mut connection = Connection::open(&sandbox)?;
    let body = br#"{"fn": "New", "ln": "Contact", "email": ["new@example.com"]}"#;
    // Warm up: the first requests pay for connection set-up and caches.
    for _ in 0..10 {
        connection.post("/contact", body)?;
    }
    let mut times = Vec::with_capacity(posts);
    for _ in 0..posts {
        let started = Instant::now();
        let status = connection.post("/contact", body)?;
        times.push(started.elapsed());
        if status != 200 {
            return Err(format!("POST answered {status}").into());
        }
    }
    drop(sandbox);
    times.sort();
    let mean = times.iter().sum::<Duration>() / u32::try_from(posts.max(1))?;
    Ok((times[times.len() / 2], mean))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let posts: usize = args.next().map_or(Ok(200), |a| a.parse())?;
    let sizes: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() {
        vec![200, 5_000, 100_000]
    } else {
        sizes
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:>8} {:>10} {:>12} {:>12} {:>14}",
        "stored", "data", "median µs", "mean µs", "× in-memory"
    )?;
    for stored in sizes {
        let (memory, memory_mean) = measure(stored, posts, None)?;
        let dir = tempfile::tempdir()?;
        let (disk, disk_mean) = measure(stored, posts, Some(dir.path()))?;
        for (label, median, mean) in [("memory", memory, memory_mean), ("--data", disk, disk_mean)]
        {
            writeln!(
                out,
                "{stored:>8} {label:>10} {:>12.1} {:>12.1} {:>14.2}",
                median.as_secs_f64() * 1e6,
                mean.as_secs_f64() * 1e6,
                median.as_secs_f64() / memory.as_secs_f64()
            )?;
        }
    }
    Ok(())
}
