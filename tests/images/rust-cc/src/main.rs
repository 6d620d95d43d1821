//! The image tests' Rust app: answers every request with the uid it runs as. Only the standard
//! library, so it builds offline; linked against glibc, so it needs distroless/cc.
use std::io::{Read, Write};
use std::net::TcpListener;

fn uid() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("Uid:")).unwrap_or("Uid: ?");
    line.split_whitespace().nth(1).unwrap_or("?").to_string()
}

fn main() {
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "0.0.0.0:8080".into());
    let listener = TcpListener::bind(&addr).expect("bind");
    eprintln!("listening on {addr}");
    for stream in listener.incoming().flatten() {
        let mut stream = stream;
        let mut request = [0u8; 1024];
        let _ = stream.read(&mut request);
        let body = format!("hello from uid={}\n", uid());
        let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    }
}
