//! A throwaway PostgreSQL server for the tests and benches.
//!
//! [`postgres_url`] gives a server: the one named by `TICKETLY_TEST_PG`, else one started here, once per
//! process, from the PostgreSQL binaries on this machine; it goes away when the process ends.
//! [`fresh_postgres_url`] gives each test its own empty schema on it, so tests run in parallel without
//! seeing each other's rows. Without a server the PostgreSQL halves of tests are skipped loudly, unless
//! `TICKETLY_REQUIRE_PG=1` (as in CI) makes that a failure.

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use uuid::Uuid;

mod own_cluster;
pub use own_cluster::OwnCluster;

/// The server's log, inside its data directory (written by the watchdog, so it goes with the directory).
const LOG: &str = "ticketly-testdb.log";
/// What the watchdog writes to the log when the server exits on its own, so a failed start is seen at once.
const EXITED: &str = "ticketly-testdb: postgres exited";
/// The exclusion constraints mix `=` on plain columns with `&&` on ranges, which needs btree_gist.
const EXTENSION: &str = "CREATE EXTENSION IF NOT EXISTS btree_gist";

/// The base URL of a PostgreSQL server for tests, or None (after a loud warning on stderr, printed once per
/// process) when none can be had.
///
/// `TICKETLY_TEST_PG=URL` names a running server to use. Otherwise one cluster per process is made with
/// `initdb` (found on PATH or under `/usr/lib/postgresql/*/bin`, highest version first) in a fresh directory
/// under the temporary directory, and served on 127.0.0.1 at a free port, as the `postgres` user when the
/// process runs as root. A watchdog shell stops it and deletes its directory once this process has gone.
/// With `TICKETLY_REQUIRE_PG=1` having no server panics instead of returning None.
pub fn postgres_url() -> Option<String> {
    match server() {
        Ok(url) => Some(url.clone()),
        Err(why) if std::env::var("TICKETLY_REQUIRE_PG").is_ok_and(|v| v == "1") => {
            panic!("TICKETLY_REQUIRE_PG=1 but there is no PostgreSQL server for the tests: {why}")
        }
        Err(_) => None,
    }
}

/// A fresh, empty database for one test on that server: a new schema `t_<32 hex>`, returned as a URL whose
/// `options` put that schema first on the `search_path`, then `public` (where btree_gist lives).
///
/// None when there is no server (see [`postgres_url`]); panics when there is one but the schema cannot be
/// made, since that is a broken server rather than a missing one.
pub fn fresh_postgres_url() -> Option<String> {
    let base = postgres_url()?;
    let schema = format!("t_{}", Uuid::new_v4().simple());
    let mut client =
        Client::connect(&base, NoTls).unwrap_or_else(|e| panic!("cannot connect to the test server {base}: {e}"));
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap_or_else(|e| panic!("cannot create schema {schema} on {base}: {e}"));
    Some(if base.contains("://") {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}options=-c%20search_path%3D{schema}%2Cpublic")
    } else {
        // The key=value form of a connection string.
        format!("{base} options='-c search_path={schema},public'")
    })
}

/// Drops a schema made by [`fresh_postgres_url`] (CASCADE); errors ignored. For fixtures' Drop.
pub fn drop_postgres_url(url: &str) {
    let Some(schema) = schema_of(url) else { return };
    if let Ok(mut client) = Client::connect(url, NoTls) {
        // A connection left inside a transaction on that schema would otherwise block the drop for ever.
        let _ = client.batch_execute(&format!("SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}

/// One line for a skipped PostgreSQL half, on stderr.
///
/// Written straight to stderr rather than with `eprintln!`, which the test harness captures and shows only
/// for failed tests: CI looks for this line in `cargo test`'s output.
pub fn warn_skipped(test: &str) {
    let why = match server() {
        Err(why) => why.lines().next().unwrap_or_default(),
        Ok(_) => "the server could not be used",
    };
    let _ =
        writeln!(std::io::stderr(), "SKIPPED: the PostgreSQL half of this test (no PostgreSQL server: {why}): {test}");
}

/// The schema named in a URL from [`fresh_postgres_url`], only if it has that shape (it goes into SQL).
fn schema_of(url: &str) -> Option<&str> {
    let at = url.find("search_path%3D").map(|i| i + 14).or_else(|| url.find("search_path=").map(|i| i + 12))?;
    let schema = url.get(at..at + 34)?;
    let hex = schema.strip_prefix("t_")?;
    hex.bytes().all(|b| b.is_ascii_hexdigit()).then_some(schema)
}

/// The one server of this process (its URL), or why there is none; the warning is printed here, once.
fn server() -> &'static Result<String, String> {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    SERVER.get_or_init(|| {
        let server = match std::env::var("TICKETLY_TEST_PG") {
            Ok(url) if !url.is_empty() => {
                // Best effort: the extension may be there already, or the user may not be allowed to add it.
                if let Ok(mut client) = Client::connect(&url, NoTls) {
                    let _ = client.batch_execute(EXTENSION);
                }
                Ok(url)
            }
            _ => start(),
        };
        if let Err(why) = &server {
            let _ = writeln!(
                std::io::stderr(),
                "\n==================== WARNING: NO POSTGRESQL FOR THE TESTS ====================\n\
                 {why}\n\
                 The PostgreSQL halves of the tests are SKIPPED. Install PostgreSQL (Debian: apt-get install \
                 postgresql) or set TICKETLY_TEST_PG=postgres://user@host:port/db.\n\
                 ==============================================================================\n"
            );
        }
        server
    })
}

/// initdb a cluster in a new directory, start it under the watchdog, and wait until it takes connections.
fn start() -> Result<String, String> {
    let bin = bin_dir()
        .ok_or("no PostgreSQL server binaries (initdb and postgres) on PATH or under /usr/lib/postgresql/*/bin")?;
    let root = is_root();
    let dir = std::env::temp_dir().join(format!("ticketly-pg-{}-{}", std::process::id(), Uuid::new_v4().simple()));
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();

    // initdb and postgres refuse to run as root: the directory goes to the postgres user, and so do they.
    let initdb = format!(
        "{} -D {} --auth=trust --username=postgres --locale=C --encoding=UTF8 -N",
        quote(bin.join("initdb")),
        quote(&dir)
    );
    let made = fs::create_dir(&dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
        .and_then(|()| if root { run(Command::new("chown").arg("postgres").arg(&dir)) } else { Ok(()) })
        .and_then(|()| run(Command::new("sh").arg("-c").arg(as_server_user(root, &initdb))));
    if let Err(why) = made {
        let _ = fs::remove_dir_all(&dir);
        return Err(format!("cannot make a cluster: {why}"));
    }

    // fsync and the like are off: the cluster is thrown away. The socket stays in the data directory.
    // Benchmarks set TICKETLY_TEST_PG_DURABLE=1 to keep them on, as SQLite's synchronous=FULL is.
    let durability = if std::env::var_os("TICKETLY_TEST_PG_DURABLE").is_some() {
        ""
    } else {
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    };
    let server = format!(
        "{} -D {dir} -p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} \
         -c max_connections=300 {durability} -c shared_buffers=64MB",
        quote(bin.join("postgres")),
        dir = quote(&dir)
    );
    // Tests have no teardown hook, so this shell outlives the process, stops the server once the process has
    // gone, and deletes the cluster. Its own process group keeps a Ctrl-C from killing it before it cleans up;
    // its output goes to the log, never to our pipes, which `cargo test` would otherwise wait on.
    let watchdog = format!(
        "({server}; echo \"{EXITED} ($?)\") &\n\
         while kill -0 {parent} 2>/dev/null; do sleep 0.5; done\n\
         pid=$(head -n 1 {dir}/postmaster.pid 2>/dev/null) && [ -n \"$pid\" ] && kill -QUIT \"$pid\"\n\
         wait\n\
         rm -rf {dir}\n",
        server = as_server_user(root, &server),
        parent = std::process::id(),
        dir = quote(&dir)
    );
    let log = dir.join(LOG);
    let spawned = fs::File::create(&log).and_then(|out| {
        Command::new("sh")
            .arg("-c")
            .arg(watchdog)
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0)
            .spawn()
    });
    if let Err(e) = spawned {
        let _ = fs::remove_dir_all(&dir);
        return Err(format!("cannot start the watchdog shell: {e}"));
    }

    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match Client::connect(&url, NoTls) {
            Ok(mut client) => {
                return client.batch_execute(EXTENSION).map(|()| url).map_err(|e| format!("{EXTENSION}: {e}"));
            }
            Err(e) => {
                let text = fs::read_to_string(&log).unwrap_or_default();
                if text.contains(EXITED) || Instant::now() > deadline {
                    let tail: Vec<&str> = text.lines().rev().take(15).collect();
                    let tail: Vec<&str> = tail.into_iter().rev().collect();
                    return Err(format!("PostgreSQL did not start at {url} ({e}); its log:\n{}", tail.join("\n")));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// The first directory holding both `initdb` and `postgres`: PATH, then Debian's, newest version first.
fn bin_dir() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default();
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let version = e.file_name().to_string_lossy().split('.').filter_map(|n| n.parse().ok()).collect();
            (version, e.path().join("bin"))
        })
        .collect();
    versions.sort();
    path.into_iter()
        .chain(versions.into_iter().rev().map(|(_, dir)| dir))
        .find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
}

/// Whether this process's effective user is root (initdb and postgres refuse to run as root).
fn is_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    match status.lines().find_map(|l| l.strip_prefix("Uid:")) {
        // real, effective, saved, filesystem
        Some(ids) => ids.split_whitespace().nth(1) == Some("0"),
        None => Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0"),
    }
}

/// A shell command line that runs `command` as the postgres user when we are root, else as ourselves.
fn as_server_user(root: bool, command: &str) -> String {
    if !root {
        return command.to_string();
    }
    let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"];
    match runuser.iter().find(|p| Path::new(p).is_file()) {
        Some(runuser) => format!("{runuser} -u postgres -- sh -c {}", quote(format!("exec {command}"))),
        None => format!("su postgres -s /bin/sh -c {}", quote(format!("exec {command}"))),
    }
}

/// Runs a command to the end; its output becomes the error when it fails.
fn run(command: &mut Command) -> Result<(), String> {
    let out = command.current_dir(std::env::temp_dir()).stdin(Stdio::null()).output().map_err(|e| e.to_string())?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Single-quotes for sh.
fn quote(s: impl AsRef<std::ffi::OsStr>) -> String {
    format!("'{}'", s.as_ref().to_string_lossy().replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_url_is_an_empty_schema_first_on_the_search_path() {
        let Some(url) = fresh_postgres_url() else { return warn_skipped("testdb::fresh_url") };
        let config: postgres::Config = url.parse().expect("the URL parses");
        let schema = schema_of(&url).expect("the URL names its schema");
        assert_eq!(config.get_options(), Some(format!("-c search_path={schema},public").as_str()));

        let mut client = Client::connect(&url, NoTls).expect("connect");
        let path: String = client.query_one("SHOW search_path", &[]).expect("show").get(0);
        assert_eq!(path, format!("{schema},public"));
        let current: String = client.query_one("SELECT current_schema()", &[]).expect("current").get(0);
        assert_eq!(current, schema);
        let tables: i64 = client
            .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", &[])
            .expect("count")
            .get(0);
        assert_eq!(tables, 0);
        // Tables land in the schema, and btree_gist (in public) is found from it.
        client
            .batch_execute(
                "CREATE TABLE hold (seat int, during int4range, EXCLUDE USING gist (seat WITH =, during WITH &&))",
            )
            .expect("create a table needing btree_gist");
        let in_schema: i64 =
            client.query_one("SELECT count(*) FROM pg_tables WHERE schemaname = $1", &[&schema]).expect("count").get(0);
        assert_eq!(in_schema, 1);
        drop(client);

        drop_postgres_url(&url);
        let base = postgres_url().expect("a server");
        let mut client = Client::connect(&base, NoTls).expect("connect");
        let left: i64 =
            client.query_one("SELECT count(*) FROM pg_namespace WHERE nspname = $1", &[&schema]).expect("count").get(0);
        assert_eq!(left, 0, "the schema is dropped");
    }

    #[test]
    fn two_fresh_urls_are_different_schemas() {
        let (Some(a), Some(b)) = (fresh_postgres_url(), fresh_postgres_url()) else {
            return warn_skipped("testdb::two_fresh_urls");
        };
        assert_ne!(schema_of(&a), schema_of(&b));
        drop_postgres_url(&a);
        drop_postgres_url(&b);
    }

    #[test]
    fn only_a_schema_of_ours_is_taken_from_a_url() {
        let hex = "0123456789abcdef0123456789abcdef";
        let url = format!("postgres://h/db?options=-c%20search_path%3Dt_{hex}%2Cpublic");
        assert_eq!(schema_of(&url), Some(format!("t_{hex}").as_str()));
        assert_eq!(schema_of("postgres://h/db?options=-c%20search_path%3Dpublic%2Cx"), None);
        assert_eq!(schema_of("postgres://h/db?options=-c%20search_path%3Dt_x;drop%20table%20y"), None);
    }
}
