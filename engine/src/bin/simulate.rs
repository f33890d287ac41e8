//! `simulate`: run a scenario from the command line and print its summary as JSON.
//!
//! ```text
//! simulate FILE|- [--seed N] [--requests N | --duration SECONDS] [--bench] [--link]
//! simulate --from-link LINK [--seed N] [--requests N | --duration SECONDS] [--bench] [--link]
//! ```
//! `--bench` prints wall-clock speed (events/s, requests/s) to stderr after the summary; the
//! summary itself never contains wall-clock figures, so it is identical on every machine.
//! `--link` prints the scenario's share link (the text after `#`) instead of running it;
//! `--from-link` runs the scenario a link holds (a whole URL is fine), so the app's numbers and
//! the command line's can be compared for the same link.
//! Invalid input: a message naming the problem on stderr and exit status 2. A scenario over
//! [`scenario::MAX_TEXT_BYTES`] is refused after reading at most one byte more than that, so
//! `simulate /dev/zero` ends at once. Output to a reader that has gone away (`simulate FILE |
//! head`) ends the tool quietly with exit status 0: the reader had what it wanted. A run whose
//! budget runs out (a million requests in flight, a loop with no latency) prints its summary
//! (with `stopped`), the reason on stderr, and exits with status 2.

use pattern_engine::scenario::{self, ParseError, Scenario, Severity, MAX_TEXT_BYTES};
use pattern_engine::{link, Simulation};
use std::io::{ErrorKind, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: simulate FILE|- [--seed N] [--requests N | --duration SECONDS] [--bench] [--link]\n       simulate --from-link LINK [same options]";

/// Where the scenario comes from.
enum Source {
    /// A file, or `-` for standard input.
    File(String),
    /// A share link.
    Link(String),
}

struct Args {
    source: Source,
    seed: Option<u64>,
    requests: Option<u64>,
    duration: Option<f64>,
    bench: bool,
    print_link: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        source: Source::File(String::new()),
        seed: None,
        requests: None,
        duration: None,
        bench: false,
        print_link: false,
    };
    let mut file = None;
    let mut from_link = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seed" => parsed.seed = Some(number(&value("--seed")?, "--seed")?),
            "--requests" => parsed.requests = Some(number(&value("--requests")?, "--requests")?),
            "--duration" => {
                let v = value("--duration")?;
                let d: f64 = v
                    .parse()
                    .map_err(|_| format!("--duration takes seconds, not `{v}`"))?;
                if !(d.is_finite() && d > 0.0) {
                    return Err(format!(
                        "--duration must be a number of seconds > 0, not `{v}`"
                    ));
                }
                parsed.duration = Some(d);
            }
            "--bench" => parsed.bench = true,
            "--link" => parsed.print_link = true,
            "--from-link" => from_link = Some(value("--from-link")?),
            "-h" | "--help" => return Err(USAGE.into()),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            path if file.is_none() => file = Some(path.to_string()),
            extra => {
                return Err(format!(
                    "unexpected argument `{extra}` (one scenario at a time)"
                ))
            }
        }
    }
    if parsed.requests.is_some() && parsed.duration.is_some() {
        return Err("give --requests or --duration, not both".into());
    }
    parsed.source = match (file, from_link) {
        (Some(_), Some(_)) => return Err("give a file or --from-link, not both".into()),
        (Some(path), None) => Source::File(path),
        (None, Some(text)) => Source::Link(text),
        (None, None) => {
            return Err(
                "no scenario given: pass a file, - for standard input, or --from-link LINK".into(),
            )
        }
    };
    Ok(parsed)
}

fn number(text: &str, name: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{name} takes a whole number, not `{text}`"))
}

/// Why the input could not be had as text.
enum ReadFailure {
    /// Larger than [`MAX_TEXT_BYTES`]: the parser's own refusal.
    TooLarge(ParseError),
    /// The file or the stream could not be read, or is not UTF-8.
    Io(String),
}

/// The text of `file` (`-`: standard input), reading at most one byte past
/// [`MAX_TEXT_BYTES`]: a larger input is refused as the parser refuses a larger text, without
/// reading the rest (`/dev/zero` never ends).
fn read_input(file: &str) -> Result<String, ReadFailure> {
    let cannot = |e: std::io::Error| ReadFailure::Io(format!("cannot read {file}: {e}"));
    let mut bytes = Vec::new();
    if file == "-" {
        read_capped(std::io::stdin().lock(), &mut bytes).map_err(cannot)?;
    } else {
        let f = std::fs::File::open(file).map_err(cannot)?;
        // A regular file's size is known before reading: name it, as the parser would.
        let size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        if let Some(size) = size.filter(|&n| n > MAX_TEXT_BYTES as u64) {
            let bytes = usize::try_from(size).ok();
            return Err(ReadFailure::TooLarge(ParseError::TooLarge { bytes }));
        }
        read_capped(f, &mut bytes).map_err(cannot)?;
    }
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(ReadFailure::TooLarge(ParseError::TooLarge { bytes: None }));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ReadFailure::Io(format!(
            "cannot read {file}: it is not UTF-8 text (byte {at} is not valid)"
        ))
    })
}

/// Reads into `bytes` until the end or one byte past [`MAX_TEXT_BYTES`], whichever is first.
fn read_capped(input: impl Read, bytes: &mut Vec<u8>) -> std::io::Result<()> {
    input
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(bytes)
        .map(|_| ())
}

/// The scenario from a file or a link, with a name for messages.
fn load(source: &Source) -> Result<(Scenario, String), String> {
    match source {
        Source::File(file) => {
            let text = read_input(file).map_err(|failure| match failure {
                ReadFailure::TooLarge(e) => format!("{file}: {e}"),
                ReadFailure::Io(message) => message,
            })?;
            let scenario = scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))?;
            Ok((scenario, file.clone()))
        }
        Source::Link(text) => {
            let decoded = link::decode(text).map_err(|e| format!("link: {e}"))?;
            if let Some(note) = decoded.engine_note() {
                say(&format!("simulate: note: {note}"));
            }
            Ok((decoded.scenario, "link".into()))
        }
    }
}

/// The validator's errors, one per line, if there are any.
fn errors(scenario: &Scenario, name: &str) -> Result<(), String> {
    let lines: Vec<String> = scenario::validate(scenario)
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("  {d}"))
        .collect();
    if lines.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name}: the scenario cannot run:\n{}",
            lines.join("\n")
        ))
    }
}

/// Why the tool stopped before the end.
enum Stop {
    /// Bad input or arguments: the message, then exit status 2.
    Refused(String),
    /// Whoever read the output has gone (`| head`): stop quietly, exit status 0.
    ReaderGone,
    /// The run's budget ran out (sim/budget.rs): the summary is printed, then the reason on
    /// stderr, and exit status 2.
    OverBudget(String),
}

impl From<String> for Stop {
    fn from(message: String) -> Self {
        Stop::Refused(message)
    }
}

/// Writes `text` and a line break to standard output, all of it, now.
fn print(text: &str) -> Result<(), Stop> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            ErrorKind::BrokenPipe => Stop::ReaderGone,
            _ => Stop::Refused(format!("cannot write the output: {e}")),
        })
}

/// Writes a line to standard error; if that is gone too, there is no one left to tell.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

fn run(args: &Args) -> Result<(), Stop> {
    let (mut scenario, name) = load(&args.source)?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    if let Some(n) = args.requests {
        scenario.run.requests = Some(n);
        scenario.run.duration_s = None;
    }
    if let Some(d) = args.duration {
        scenario.run.duration_s = Some(d);
        scenario.run.requests = None;
    }
    errors(&scenario, &name)?;
    if args.print_link {
        return print(&link::encode(&scenario, None));
    }
    let mut sim =
        Simulation::new(&scenario).map_err(|_| format!("{name}: the scenario cannot run"))?;
    let started = Instant::now();
    sim.run_to_end();
    let seconds = started.elapsed().as_secs_f64();
    let summary = sim.summary();
    print(&summary.to_json())?;
    if args.bench {
        say(&format!(
            "{{\"events\": {}, \"requests\": {}, \"wall_s\": {seconds:.3}, \"events_per_s\": {:.0}, \"requests_per_s\": {:.0}}}",
            sim.events(),
            summary.requests.generated,
            sim.events() as f64 / seconds,
            summary.requests.generated as f64 / seconds,
        ));
    }
    match &summary.stopped {
        Some(stopped) => Err(Stop::OverBudget(format!(
            "{name}: the run stopped at t = {} s: {}",
            stopped.at_s, stopped.reason
        ))),
        None => Ok(()),
    }
}

fn main() -> ExitCode {
    let outcome = parse_args(std::env::args().skip(1))
        .map_err(Stop::Refused)
        .and_then(|args| run(&args));
    match outcome {
        Ok(()) | Err(Stop::ReaderGone) => ExitCode::SUCCESS,
        Err(Stop::Refused(message) | Stop::OverBudget(message)) => {
            say(&format!("simulate: {message}"));
            ExitCode::from(2)
        }
    }
}
