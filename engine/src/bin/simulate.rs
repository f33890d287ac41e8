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
//! Invalid input: a message naming the problem on stderr and exit status 2.

use pattern_engine::scenario::{self, Scenario, Severity};
use pattern_engine::{link, Simulation};
use std::io::Read;
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

fn read_input(file: &str) -> Result<String, String> {
    let mut text = String::new();
    let result = if file == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::File::open(file)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map(|_| ())
    };
    result.map_err(|e| format!("cannot read {file}: {e}"))?;
    Ok(text)
}

/// The scenario from a file or a link, with a name for messages.
fn load(source: &Source) -> Result<(Scenario, String), String> {
    match source {
        Source::File(file) => {
            let text = read_input(file)?;
            let scenario = scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))?;
            Ok((scenario, file.clone()))
        }
        Source::Link(text) => {
            let decoded = link::decode(text).map_err(|e| format!("link: {e}"))?;
            if let Some(note) = decoded.engine_note() {
                eprintln!("simulate: note: {note}");
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

fn run(args: &Args) -> Result<(), String> {
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
        println!("{}", link::encode(&scenario, None));
        return Ok(());
    }
    let mut sim =
        Simulation::new(&scenario).map_err(|_| format!("{name}: the scenario cannot run"))?;
    let started = Instant::now();
    sim.run_to_end();
    let seconds = started.elapsed().as_secs_f64();
    let summary = sim.summary();
    println!("{}", summary.to_json());
    if args.bench {
        eprintln!(
            "{{\"events\": {}, \"requests\": {}, \"wall_s\": {seconds:.3}, \"events_per_s\": {:.0}, \"requests_per_s\": {:.0}}}",
            sim.events(),
            summary.requests.generated,
            sim.events() as f64 / seconds,
            summary.requests.generated as f64 / seconds,
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let outcome = parse_args(std::env::args().skip(1)).and_then(|args| run(&args));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("simulate: {message}");
            ExitCode::from(2)
        }
    }
}
