//! `simulate`: run a scenario from the command line and print its summary as JSON.
//!
//! ```text
//! simulate FILE|- [--seed N] [--requests N | --duration SECONDS] [--bench]
//! ```
//! `--bench` prints wall-clock speed (events/s, requests/s) to stderr after the summary; the
//! summary itself never contains wall-clock figures, so it is identical on every machine.
//! Invalid input: a message naming the problem on stderr and exit status 2.

use pattern_engine::scenario::{self, Severity};
use pattern_engine::Simulation;
use std::io::Read;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: simulate FILE|- [--seed N] [--requests N | --duration SECONDS] [--bench]";

struct Args {
    file: String,
    seed: Option<u64>,
    requests: Option<u64>,
    duration: Option<f64>,
    bench: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        file: String::new(),
        seed: None,
        requests: None,
        duration: None,
        bench: false,
    };
    let mut file = None;
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
    parsed.file = file.ok_or("no scenario given: pass a file, or - for standard input")?;
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

fn run(args: &Args) -> Result<(), String> {
    let text = read_input(&args.file)?;
    let mut scenario = scenario::from_json(&text).map_err(|e| format!("{}: {e}", args.file))?;
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
    let mut sim = Simulation::new(&scenario).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("  {d}"))
            .collect();
        format!(
            "{}: the scenario cannot run:\n{}",
            args.file,
            lines.join("\n")
        )
    })?;
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
