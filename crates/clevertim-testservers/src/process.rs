//! Finding a server's binary, and running it as a child that the test stops.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Folders where Debian puts server binaries that are not on a user's `PATH`.
const EXTRA_DIRS: &[&str] = &["/usr/sbin", "/sbin", "/usr/local/sbin"];

/// How long a server may take to listen before the test fails.
const READY_WITHIN: Duration = Duration::from_secs(30);

/// The path of the binary `name`, or `None` (after saying so) where it is not installed.
///
/// Looks in `PATH`, the sbin folders, and for PostgreSQL's tools in
/// `/usr/lib/postgresql/*/bin`. Where the binary is missing, the skip is printed with the
/// Debian package to install (`apt_package`) and `scripts/test`, which installs all of them.
///
/// # Panics
///
/// Under `CI=true` a missing binary panics: CI installs every server, so a missing one is a
/// broken CI, never a skipped test.
///
/// ```no_run
/// let Some(nginx) = clevertim_testservers::require("nginx", "nginx-light") else { return };
/// assert!(nginx.is_absolute());
/// ```
pub fn require(name: &str, apt_package: &str) -> Option<PathBuf> {
    if let Some(found) = locate(name) {
        return Some(found);
    }
    let message = format!(
        "`{name}` is not installed: install the Debian package `{apt_package}` \
         (`apt-get install {apt_package}`), or run `scripts/test`, which installs every server \
         the tests need"
    );
    if std::env::var("CI").is_ok_and(|value| value == "true") {
        panic!("{message}; under CI=true a missing server fails the test");
    }
    eprintln!("skipped: {message}");
    None
}

fn locate(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    dirs.extend(EXTRA_DIRS.iter().map(PathBuf::from));
    dirs.extend(postgres_bin_dirs());
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// `/usr/lib/postgresql/<version>/bin`, newest version first.
fn postgres_bin_dirs() -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .collect();
    dirs.sort();
    dirs.reverse();
    dirs
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// A loopback port that was free a moment ago (bound to port 0, then released).
///
/// ```
/// let port = clevertim_testservers::free_port();
/// assert_ne!(port, 0);
/// ```
///
/// # Panics
///
/// Panics where no loopback socket can be bound at all: no server could run there either.
pub fn free_port() -> u16 {
    #[allow(clippy::expect_used)]
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback port can be bound");
    #[allow(clippy::expect_used)]
    listener
        .local_addr()
        .expect("a bound socket has an address")
        .port()
}

/// A server running as a child process, with a private directory for its configuration, data
/// and logs; dropped, it is killed and reaped.
///
/// ```no_run
/// use clevertim_testservers::ServerProcess;
///
/// let mut command = std::process::Command::new("/usr/sbin/tinyproxy");
/// command.arg("-d");
/// let server = ServerProcess::spawn("tinyproxy", command)?;
/// std::fs::write(server.dir().join("tinyproxy.conf"), "Port 3128\n")?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct ServerProcess {
    name: String,
    child: Child,
    dir: tempfile::TempDir,
}

impl ServerProcess {
    /// A fresh private directory for a server's files, to write its configuration into before
    /// [`spawn_in`](Self::spawn_in).
    ///
    /// # Errors
    ///
    /// The directory could not be made.
    ///
    /// ```
    /// let dir = clevertim_testservers::ServerProcess::workdir()?;
    /// assert!(dir.path().is_dir());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn workdir() -> io::Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix("clevertim-server-")
            .tempdir()
    }

    /// Starts `command` with its own fresh directory; its output goes to `output.log` there.
    ///
    /// # Errors
    ///
    /// The directory or the log could not be made, or the binary could not be started.
    ///
    /// ```no_run
    /// let server = clevertim_testservers::ServerProcess::spawn(
    ///     "sleep",
    ///     std::process::Command::new("sleep"),
    /// )?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn spawn(name: &str, command: Command) -> io::Result<Self> {
        Self::spawn_in(name, command, Self::workdir()?)
    }

    /// Starts `command` with `dir` (from [`workdir`](Self::workdir)) as its private directory
    /// and working directory; its output goes to `output.log` there.
    ///
    /// # Errors
    ///
    /// The log could not be made, or the binary could not be started.
    ///
    /// ```no_run
    /// use clevertim_testservers::ServerProcess;
    ///
    /// let dir = ServerProcess::workdir()?;
    /// std::fs::write(dir.path().join("my.conf"), "")?;
    /// let server = ServerProcess::spawn_in("sleep", std::process::Command::new("sleep"), dir)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn spawn_in(name: &str, mut command: Command, dir: tempfile::TempDir) -> io::Result<Self> {
        let log = std::fs::File::create(dir.path().join("output.log"))?;
        command
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let child = command.spawn().map_err(|error| {
            io::Error::new(
                error.kind(),
                format!("starting {name} ({:?}): {error}", command.get_program()),
            )
        })?;
        Ok(Self {
            name: name.to_owned(),
            child,
            dir,
        })
    }

    /// The server's private directory (configuration, data, logs).
    ///
    /// ```no_run
    /// # let server = clevertim_testservers::ServerProcess::spawn("sleep", std::process::Command::new("sleep"))?;
    /// assert!(server.dir().join("output.log").exists());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The child's process id.
    ///
    /// ```no_run
    /// # let server = clevertim_testservers::ServerProcess::spawn("sleep", std::process::Command::new("sleep"))?;
    /// assert!(server.pid() > 0);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until something accepts TCP connections on `127.0.0.1:port`.
    ///
    /// # Errors
    ///
    /// The server exited, or did not listen within 30 s; the error holds its log.
    ///
    /// ```no_run
    /// # let mut server = clevertim_testservers::ServerProcess::spawn("sleep", std::process::Command::new("sleep"))?;
    /// server.wait_for_port(6379)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn wait_for_port(&mut self, port: u16) -> io::Result<()> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        self.wait_until(|| TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok())
    }

    /// Waits until `ready()` is true (a unix socket exists, a file appears…).
    ///
    /// # Errors
    ///
    /// The server exited, or `ready()` stayed false for 30 s; the error holds its log.
    ///
    /// ```no_run
    /// # let mut server = clevertim_testservers::ServerProcess::spawn("sleep", std::process::Command::new("sleep"))?;
    /// let socket = server.dir().join("redis.sock");
    /// server.wait_until(|| socket.exists())?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn wait_until(&mut self, mut ready: impl FnMut() -> bool) -> io::Result<()> {
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if ready() {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "{} exited with {status} before it was ready; its log:\n{}",
                    self.name,
                    self.log()
                )));
            }
            if Instant::now() > deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "{} was not ready within {READY_WITHIN:?}; its log:\n{}",
                        self.name,
                        self.log()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What the server wrote to its output so far (for a failing test's message).
    ///
    /// ```no_run
    /// # let server = clevertim_testservers::ServerProcess::spawn("sleep", std::process::Command::new("sleep"))?;
    /// eprintln!("{}", server.log());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir().join("output.log")).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // Killed, then reaped, so that no zombie and no listening port outlives the test.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
