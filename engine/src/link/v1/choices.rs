//! Version 1's choices: a distribution, an arrival process, a key popularity, a
//! load-balancing algorithm, a gateway route's match. Each is a byte naming the variant (its
//! position in the tables below), then the variant's parameters in the order listed.
//!
//! ```text
//! duration     0 constant(ms)  1 exponential(mean_ms)  2 log_normal(median_ms, sigma)
//! arrival      0 poisson(rate_per_s)  1 constant(rate_per_s)
//!              2 bursts(base_rate_per_s, burst_rate_per_s, period_s, burst_s)
//!              3 ramp(from_per_s, to_per_s, over_s)
//! popularity   0 uniform  1 zipf(s)
//! algorithm    0 round_robin  1 weighted_round_robin  2 random  3 least_connections
//!              4 ip_hash  5 power_of_two  6 consistent_hash(virtual_nodes, a varint)
//! route match  0 any  1 read  2 write  3 route(name, a string)
//! ```
//! Parameters are numbers unless said otherwise. The codes are frozen: a variant the engine
//! gains later has no code here (a newer link version gives it one), and the writers refuse
//! it with [`Unwritable`] rather than write a link that would open to something else.

use super::Unwritable;
use crate::components::api_gateway::Match;
use crate::components::client::{Arrival, Popularity};
use crate::components::load_balancer::Algorithm;
use crate::distributions::Duration;
use crate::link::wire::{malformed, Reader, Writer};
use crate::link::LinkError;

/// A choice's variants; a variant's code is its position.
pub struct Choice {
    /// What the choice is called in the canonical text.
    pub name: &'static str,
    /// Its variants, by code.
    pub variants: &'static [Variant],
}

/// One variant of a choice.
pub struct Variant {
    /// The variant's name, as the scenario file spells it.
    pub name: &'static str,
    /// Its parameters, in the order they follow the code.
    pub params: &'static [&'static str],
}

const fn variant(name: &'static str, params: &'static [&'static str]) -> Variant {
    Variant { name, params }
}

/// How long a piece of work takes.
pub const DURATION: Choice = Choice {
    name: "duration",
    variants: &[
        variant("constant", &["ms"]),
        variant("exponential", &["mean_ms"]),
        variant("log_normal", &["median_ms", "sigma"]),
    ],
};

/// When a client's requests are created.
pub const ARRIVAL: Choice = Choice {
    name: "arrival",
    variants: &[
        variant("poisson", &["rate_per_s"]),
        variant("constant", &["rate_per_s"]),
        variant(
            "bursts",
            &["base_rate_per_s", "burst_rate_per_s", "period_s", "burst_s"],
        ),
        variant("ramp", &["from_per_s", "to_per_s", "over_s"]),
    ],
};

/// Which keys a client's requests touch.
pub const POPULARITY: Choice = Choice {
    name: "popularity",
    variants: &[variant("uniform", &[]), variant("zipf", &["s"])],
};

/// How a load balancer picks a backend.
pub const ALGORITHM: Choice = Choice {
    name: "algorithm",
    variants: &[
        variant("round_robin", &[]),
        variant("weighted_round_robin", &[]),
        variant("random", &[]),
        variant("least_connections", &[]),
        variant("ip_hash", &[]),
        variant("power_of_two", &[]),
        variant("consistent_hash", &["virtual_nodes"]),
    ],
};

/// Which requests a gateway route takes.
pub const ROUTE_MATCH: Choice = Choice {
    name: "route_match",
    variants: &[
        variant("any", &[]),
        variant("read", &[]),
        variant("write", &[]),
        variant("route", &["name"]),
    ],
};

/// Every choice, in the canonical text's order.
pub const ALL: [&Choice; 5] = [&DURATION, &ARRIVAL, &POPULARITY, &ALGORITHM, &ROUTE_MATCH];

/// Writes a distribution, or refuses one version 1 has no code for.
pub fn write_duration(w: &mut Writer, d: &Duration) -> Result<(), Unwritable> {
    match *d {
        Duration::Constant { ms } => {
            w.byte(0);
            w.number(ms);
        }
        Duration::Exponential { mean_ms } => {
            w.byte(1);
            w.number(mean_ms);
        }
        Duration::LogNormal { median_ms, sigma } => {
            w.byte(2);
            w.number(median_ms);
            w.number(sigma);
        }
        _ => return Err(Unwritable::new(format!("the distribution `{}`", d.name()))),
    }
    Ok(())
}

/// The bytes of a distribution, or why version 1 cannot hold it.
pub fn duration_bytes(d: &Duration) -> Result<Vec<u8>, Unwritable> {
    let mut w = Writer::default();
    write_duration(&mut w, d)?;
    Ok(w.finish())
}

/// Reads what [`write_duration`] wrote; errors name `field`.
pub fn read_duration(r: &mut Reader, field: &str) -> Result<Duration, LinkError> {
    Ok(match r.byte(field)? {
        0 => Duration::Constant {
            ms: r.number(field)?,
        },
        1 => Duration::Exponential {
            mean_ms: r.number(field)?,
        },
        2 => Duration::LogNormal {
            median_ms: r.number(field)?,
            sigma: r.number(field)?,
        },
        b => return Err(unknown(field, "distribution", b)),
    })
}

/// Writes an arrival process.
pub fn write_arrival(w: &mut Writer, a: &Arrival) -> Result<(), Unwritable> {
    match *a {
        Arrival::Poisson { rate_per_s } => {
            w.byte(0);
            w.number(rate_per_s);
        }
        Arrival::Constant { rate_per_s } => {
            w.byte(1);
            w.number(rate_per_s);
        }
        Arrival::Bursts {
            base_rate_per_s,
            burst_rate_per_s,
            period_s,
            burst_s,
        } => {
            w.byte(2);
            for v in [base_rate_per_s, burst_rate_per_s, period_s, burst_s] {
                w.number(v);
            }
        }
        Arrival::Ramp {
            from_per_s,
            to_per_s,
            over_s,
        } => {
            w.byte(3);
            for v in [from_per_s, to_per_s, over_s] {
                w.number(v);
            }
        }
        Arrival::ClosedLoop { .. } => {
            return Err(Unwritable::new("the arrival process `closed_loop`".into()))
        }
    }
    Ok(())
}

/// An arrival process's bytes, or why version 1 cannot hold it.
pub fn arrival_bytes(a: &Arrival) -> Result<Vec<u8>, Unwritable> {
    let mut w = Writer::default();
    write_arrival(&mut w, a)?;
    Ok(w.finish())
}

/// Reads what [`write_arrival`] wrote; errors name `field`.
pub fn read_arrival(r: &mut Reader, field: &str) -> Result<Arrival, LinkError> {
    Ok(match r.byte(field)? {
        0 => Arrival::Poisson {
            rate_per_s: r.number(field)?,
        },
        1 => Arrival::Constant {
            rate_per_s: r.number(field)?,
        },
        2 => Arrival::Bursts {
            base_rate_per_s: r.number(field)?,
            burst_rate_per_s: r.number(field)?,
            period_s: r.number(field)?,
            burst_s: r.number(field)?,
        },
        3 => Arrival::Ramp {
            from_per_s: r.number(field)?,
            to_per_s: r.number(field)?,
            over_s: r.number(field)?,
        },
        b => return Err(unknown(field, "arrival process", b)),
    })
}

/// Writes a key popularity.
pub fn write_popularity(w: &mut Writer, p: &Popularity) {
    match *p {
        Popularity::Uniform => w.byte(0),
        Popularity::Zipf { s } => {
            w.byte(1);
            w.number(s);
        }
    }
}

/// Reads what [`write_popularity`] wrote. Errors name `field`, and its parameter `<field>.s`.
pub fn read_popularity(r: &mut Reader, field: &str) -> Result<Popularity, LinkError> {
    Ok(match r.byte(field)? {
        0 => Popularity::Uniform,
        1 => Popularity::Zipf {
            s: r.number(&format!("{field}.s"))?,
        },
        b => return Err(unknown(field, "popularity", b)),
    })
}

/// Writes a load-balancing algorithm, or refuses one version 1 has no code for.
pub fn write_algorithm(w: &mut Writer, a: &Algorithm) -> Result<(), Unwritable> {
    let byte = match a {
        Algorithm::RoundRobin => 0,
        Algorithm::WeightedRoundRobin => 1,
        Algorithm::Random => 2,
        Algorithm::LeastConnections => 3,
        Algorithm::IpHash => 4,
        Algorithm::PowerOfTwo => 5,
        Algorithm::ConsistentHash { .. } => 6,
        _ => return Err(Unwritable::new(format!("the algorithm `{}`", a.name()))),
    };
    w.byte(byte);
    if let Algorithm::ConsistentHash { virtual_nodes } = a {
        w.varint((*virtual_nodes).into());
    }
    Ok(())
}

/// The bytes of a load-balancing algorithm, or why version 1 cannot hold it.
pub fn algorithm_bytes(a: &Algorithm) -> Result<Vec<u8>, Unwritable> {
    let mut w = Writer::default();
    write_algorithm(&mut w, a)?;
    Ok(w.finish())
}

/// Reads what [`write_algorithm`] wrote; errors name `field`.
pub fn read_algorithm(r: &mut Reader, field: &str) -> Result<Algorithm, LinkError> {
    Ok(match r.byte(field)? {
        0 => Algorithm::RoundRobin,
        1 => Algorithm::WeightedRoundRobin,
        2 => Algorithm::Random,
        3 => Algorithm::LeastConnections,
        4 => Algorithm::IpHash,
        5 => Algorithm::PowerOfTwo,
        6 => Algorithm::ConsistentHash {
            virtual_nodes: r.u32(field)?,
        },
        b => return Err(unknown(field, "algorithm", b)),
    })
}

/// Writes a gateway route's match.
pub fn write_match(w: &mut Writer, m: &Match) {
    match m {
        Match::Any => w.byte(0),
        Match::Read => w.byte(1),
        Match::Write => w.byte(2),
        Match::Route(name) => {
            w.byte(3);
            w.string(name);
        }
    }
}

/// Reads what [`write_match`] wrote; errors name `field`.
pub fn read_match(r: &mut Reader, field: &str) -> Result<Match, LinkError> {
    Ok(match r.byte(field)? {
        0 => Match::Any,
        1 => Match::Read,
        2 => Match::Write,
        3 => Match::Route(r.string(field)?),
        b => return Err(unknown(field, "route match", b)),
    })
}

fn unknown(field: &str, what: &str, byte: u8) -> LinkError {
    malformed(field, format!("unknown {what} {byte}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = fn(&mut Reader, &str) -> Result<(), LinkError>;

    /// Every code a table lists reads, taking exactly the parameters the table lists (each a
    /// one-byte 0 here, which reads as a number, a varint or an empty string), and the code
    /// after the last is refused: the tables and the readers agree.
    #[test]
    fn every_listed_code_reads_and_the_next_is_refused() {
        let readers: [(&Choice, Read, &str); 5] = [
            (
                &DURATION,
                |r, f| read_duration(r, f).map(drop),
                "distribution",
            ),
            (
                &ARRIVAL,
                |r, f| read_arrival(r, f).map(drop),
                "arrival process",
            ),
            (
                &POPULARITY,
                |r, f| read_popularity(r, f).map(drop),
                "popularity",
            ),
            (
                &ALGORITHM,
                |r, f| read_algorithm(r, f).map(drop),
                "algorithm",
            ),
            (
                &ROUTE_MATCH,
                |r, f| read_match(r, f).map(drop),
                "route match",
            ),
        ];
        for (choice, read, what) in readers {
            for (code, variant) in choice.variants.iter().enumerate() {
                let mut bytes = vec![code as u8];
                bytes.extend(variant.params.iter().map(|_| 0));
                let mut r = Reader::new(&bytes);
                read(&mut r, "x").unwrap();
                r.finish()
                    .unwrap_or_else(|e| panic!("{} {}: {e}", choice.name, variant.name));
            }
            let past = choice.variants.len() as u8;
            let err = read(&mut Reader::new(&[past, 0, 0, 0, 0]), "config.x").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("the link is damaged: config.x: unknown {what} {past}")
            );
        }
    }

    #[test]
    fn writing_then_reading_gives_each_variant_back() {
        let durations = [
            Duration::Constant { ms: 0.5 },
            Duration::Exponential { mean_ms: 10.0 },
            Duration::LogNormal {
                median_ms: 3.0,
                sigma: 1.0 / 3.0,
            },
        ];
        for d in &durations {
            let bytes = duration_bytes(d).unwrap();
            assert_eq!(&read_duration(&mut Reader::new(&bytes), "d").unwrap(), d);
        }
        let algorithm = Algorithm::ConsistentHash {
            virtual_nodes: u32::MAX,
        };
        let mut w = Writer::default();
        write_algorithm(&mut w, &algorithm).unwrap();
        assert_eq!(
            read_algorithm(&mut Reader::new(&w.finish()), "a").unwrap(),
            algorithm
        );
        let route = Match::Route("checkout".into());
        let mut w = Writer::default();
        write_match(&mut w, &route);
        assert_eq!(
            read_match(&mut Reader::new(&w.finish()), "m").unwrap(),
            route
        );
    }

    /// A variant added after the freeze has no version-1 code: writing it is refused (never a
    /// panic, never a link that opens to something else), and the refusal names it.
    #[test]
    fn variants_added_after_the_freeze_are_refused_by_name() {
        let gamma = Duration::Gamma {
            mean_ms: 4.0,
            shape: 3.0,
        };
        let err = duration_bytes(&gamma).unwrap_err();
        assert_eq!(
            err.to_string(),
            "link version 1 cannot hold the distribution `gamma`; a version-2 link can"
        );
        let mut w = Writer::default();
        let err = write_algorithm(&mut w, &Algorithm::WeightedRandom).unwrap_err();
        assert_eq!(
            err.at("config.algorithm").at("node `lb`").to_string(),
            "link version 1 cannot hold the algorithm `weighted_random` (node `lb` \
             config.algorithm); a version-2 link can"
        );
        assert!(w.finish().is_empty(), "nothing was written");
    }
}
