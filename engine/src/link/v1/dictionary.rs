//! The preset dictionary of link format 1: text that deflate may refer back to as if it came
//! just before the link's own data, so the first "service", "database" or "requests" in a link
//! costs a two-byte reference instead of its letters. On links of a few hundred bytes, where
//! deflate has little of the link's own text to refer to, this saves 10-20% (measured in
//! docs/benchmarks.md).
//!
//! It is part of the format: changing a single byte changes what every format-1 link means,
//! so a newer link version that wants other words brings its own dictionary and this one
//! stays, byte for byte, for version 1's decoder (tests/link_v1.rs pins its hash).
//! Words are generic (the kinds, their titles, the vocabulary of architecture and queueing),
//! not taken from the shipped examples; the likeliest come last, where references are
//! shortest.

/// The dictionary's bytes.
pub const DICTIONARY: &[u8] = b"\
M/M/1 M/M/c Jackson network Little's law Erlang C Poisson exponential log-normal \
theory validation arrivals per second utilisation throughput latency p99 tail \
timeout retries retry circuit breaker fails failed dropped overload backpressure \
sharded shard replica primary leader follower region zone edge cdn \
auth login session search catalog orders order payments payment checkout cart \
inventory profile feed notifications notify email mailer images upload \
frontend backend web app api internal external \
the and of to in a is that for with as on by from at an it its this each which \
are be or not when than then per into one two more so it's all only also \
request requests response responses reads writes read write job jobs \
background traffic time capacity queueing wait waits busy slow fast cache hit miss \
Load Balancer API Gateway Message Queue lb db gateway user users Users \
client load_balancer api_gateway service database queue worker \
Client Load balancer API gateway Service Cache Database Message queue Worker ";
