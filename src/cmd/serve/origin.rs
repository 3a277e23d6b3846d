//! Which `Host` the preview answers: its own origin only.
//!
//! A web page on another site can point a DNS name at 127.0.0.1 (DNS rebinding) and
//! then read the preview — drafts and the error stream — as if it were its own origin.
//! Its requests still carry that name in `Host`, so the preview answers only the names
//! that reach it directly: the bound address, `localhost`, `127.0.0.1` and `[::1]`,
//! each with the port it listens on. Bound to every interface (`0.0.0.0`, `::`), any
//! IP address is accepted too (with the port): rebinding needs a name, not an address.

use std::net::{IpAddr, SocketAddr};

/// True when `host` (a `Host` header or the authority of an absolute-form target)
/// names the preview listening on `bound`.
pub(crate) fn is_own(host: &str, bound: SocketAddr) -> bool {
    let Some((name, port)) = split_host(host) else {
        return false;
    };
    if port.unwrap_or(80) != bound.port() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
        None => name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
    };
    ip.is_some_and(|ip| {
        ip == bound.ip()
            || ip == IpAddr::from([127, 0, 0, 1])
            || ip == IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
            || bound.ip().is_unspecified()
    })
}

/// `name[:port]` → (name, port); `None` when the port is not a number.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let after_name = if host.starts_with('[') {
        host.find(']')? + 1
    } else {
        host.find(':').unwrap_or(host.len())
    };
    let (name, rest) = host.split_at(after_name);
    match rest.strip_prefix(':') {
        None if rest.is_empty() => Some((name, None)),
        None => None,
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            Some((name, Some(port.parse().ok()?)))
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_preview_s_own_names_with_its_port() {
        let bound: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LocalHost:1111",
            "[::1]:1111",
        ] {
            assert!(is_own(ok, bound), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost.evil.example:1111",
            "127.0.0.1:1112",
            "127.0.0.1",
            "localhost",
            "127.0.0.2:1111",
            "192.168.1.5:1111",
            "127.0.0.1:",
            "127.0.0.1:1111x",
            "[::1]1111",
            "127.0.0.1:1111@evil.example",
            "",
        ] {
            assert!(!is_own(bad, bound), "{bad}");
        }
        let port80: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(
            is_own("localhost", port80),
            "the default port may be left out"
        );
    }

    #[test]
    fn bound_elsewhere_its_own_address_and_any_address_when_unspecified() {
        let lan: SocketAddr = "192.168.1.5:8000".parse().unwrap();
        assert!(is_own("192.168.1.5:8000", lan));
        assert!(!is_own("10.0.0.1:8000", lan));
        assert!(!is_own("rebind.example:8000", lan));
        let any: SocketAddr = "0.0.0.0:8000".parse().unwrap();
        assert!(is_own("10.0.0.1:8000", any));
        assert!(is_own("[fe80::1]:8000", any));
        assert!(!is_own("rebind.example:8000", any));
        let v6: SocketAddr = "[::1]:8000".parse().unwrap();
        assert!(is_own("[::1]:8000", v6));
        assert!(is_own("[0:0:0:0:0:0:0:1]:8000", v6));
    }
}
