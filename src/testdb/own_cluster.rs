//! A PostgreSQL cluster that one test owns, so that it can crash the server
//! (`pg_ctl stop -m immediate`) and start it again without disturbing the shared server the
//! other tests run on. Commits are synchronous (a crash of the server keeps every commit it
//! acknowledged); fsync is off, since the machine itself does not crash here.

use std::fs;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use uuid::Uuid;

use super::{EXTENSION, as_server_user, bin_dir, is_root, quote, run};

pub struct OwnCluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    root: bool,
}

impl OwnCluster {
    /// A new cluster, started; None when this machine has no PostgreSQL server binaries.
    pub fn start() -> Option<OwnCluster> {
        let bin = bin_dir()?;
        let root = is_root();
        let dir = std::env::temp_dir().join(format!("ticketly-own-pg-{}", Uuid::new_v4().simple()));
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).ok()?.port();
        let initdb = format!(
            "{} -D {} --auth=trust --username=postgres --locale=C --encoding=UTF8 -N",
            quote(bin.join("initdb")),
            quote(&dir)
        );
        fs::create_dir(&dir).expect("cluster directory");
        if root {
            run(Command::new("chown").arg("postgres").arg(&dir)).expect("chown the cluster");
        }
        run(Command::new("sh").arg("-c").arg(as_server_user(root, &initdb))).expect("initdb");
        let cluster = OwnCluster { dir, bin, port, root };
        cluster.start_server();
        let mut client = Client::connect(&cluster.url(), NoTls).expect("connect to the own cluster");
        client.batch_execute(EXTENSION).expect("btree_gist");
        Some(cluster)
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server and waits until it takes connections (after a crash: until it has
    /// recovered).
    pub fn start_server(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off -c max_connections=50",
            self.port,
            self.dir.display()
        );
        self.pg_ctl(&format!("start -w -t 60 -o {}", quote(options))).expect("pg_ctl start");
        let deadline = Instant::now() + Duration::from_secs(30);
        while Client::connect(&self.url(), NoTls).is_err() {
            assert!(Instant::now() < deadline, "the own cluster does not take connections");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server the hard way, as a power cut to it would: no checkpoint, no goodbye to
    /// the clients (`pg_ctl stop -m immediate`).
    pub fn crash(&self) {
        self.pg_ctl("stop -m immediate").expect("pg_ctl stop -m immediate");
    }

    fn pg_ctl(&self, args: &str) -> Result<(), String> {
        let log = self.dir.join("server.log");
        let command = format!("{} -D {} -l {} {args}", quote(self.bin.join("pg_ctl")), quote(&self.dir), quote(&log));
        run(Command::new("sh").arg("-c").arg(as_server_user(self.root, &command)))
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl("stop -m immediate");
        let _ = fs::remove_dir_all(&self.dir);
    }
}
