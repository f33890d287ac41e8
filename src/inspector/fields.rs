//! Reusable form controls. Each shows a visible `<label for=…>`, commits on `change` (not on
//! every keystroke) and shows the reason for a refused value right under itself, tied to the
//! control with `aria-describedby` and announced with `role="alert"`.

use leptos::prelude::*;
use pattern_engine::distributions::Duration;

use super::Commit;

/// A number as a field shows it: no trailing `.0`.
pub fn show(x: f64) -> String {
    format!("{x}")
}

/// Reads what was typed into a number field: a finite number, whole if `integer`, at most
/// `max`. Range rules beyond that are the validator's.
pub fn parse_number(text: &str, integer: bool, max: Option<f64>) -> Result<f64, String> {
    let value: f64 = pattern_engine::json::parse_decimal(text.trim())
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| "enter a number".to_string())?;
    if integer && (value.fract() != 0.0 || value < 0.0) {
        return Err("enter a whole number, 0 or more".into());
    }
    match max {
        Some(max) if value > max => Err(format!("at most {}", show(max))),
        _ => Ok(value),
    }
}

/// Runs a commit and keeps its refusal for the field to show.
fn settle<T>(error: RwSignal<Option<String>>, result: Result<T, String>) {
    error.set(result.err());
}

/// The inline message under a field (empty and hidden while the value is fine).
#[component]
pub fn FieldError(id: String, error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <p id=id class="field-error" role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get()}
        </p>
    }
}

/// The id of a field's error message, while it has one (for `aria-describedby`).
fn described_by(
    id: &str,
    error: RwSignal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let err_id = format!("{id}-error");
    move || error.with(|e| e.as_ref().map(|_| err_id.clone()))
}

/// The input under both number fields: what it shows, and what it does with what was typed
/// (an `Err` is shown under the field and marks the input invalid).
#[component]
fn NumberInput(
    /// The input's id.
    id: String,
    /// Only whole numbers (the step and the on-screen keyboard follow).
    integer: bool,
    /// The text it shows.
    text: Signal<String>,
    /// The field's refusal, set from `on_text`.
    error: RwSignal<Option<String>>,
    /// Parses and commits what was typed.
    on_text: Callback<String, Result<(), String>>,
    /// Greyed out (an optional value that is absent).
    #[prop(optional)]
    disabled: Option<Signal<bool>>,
    /// Shown while empty.
    #[prop(optional)]
    placeholder: Option<String>,
) -> impl IntoView {
    view! {
        <input
            id=id.clone()
            type="number"
            step=if integer { "1" } else { "any" }
            inputmode=if integer { "numeric" } else { "decimal" }
            placeholder=placeholder
            disabled=move || disabled.is_some_and(|d| d.get())
            prop:value=move || text.get()
            aria-invalid=move || error.with(|e| e.is_some().to_string())
            aria-describedby=described_by(&id, error)
            on:change=move |ev| settle(error, on_text.run(event_target_value(&ev)))
        />
    }
}

/// A number with its unit ("ms", "/s", "keys").
#[component]
pub fn NumberField(
    /// The input's id (and the label's `for`).
    id: String,
    /// What the label says.
    label: &'static str,
    /// Shown after the input.
    #[prop(optional)]
    unit: &'static str,
    /// The current value in the document.
    #[prop(into)]
    value: Signal<f64>,
    /// What to do with a parsed value.
    commit: Commit<f64>,
    /// Only whole numbers (counts).
    #[prop(optional)]
    integer: bool,
    /// The largest value the field's type holds.
    #[prop(optional)]
    max: Option<f64>,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <div class="field-row">
                <NumberInput id=id.clone() integer error
                    text=Signal::derive(move || show(value.get()))
                    on_text=Callback::new(move |text: String| {
                        parse_number(&text, integer, max).and_then(|v| commit.run(v))
                    }) />
                <span class="field-unit">{unit}</span>
            </div>
            <FieldError id=err_id error />
        </div>
    }
}

/// An optional number: a value, or "unbounded" / "none" with a checkbox.
#[component]
pub fn OptionalNumberField(
    /// The input's id (and the label's `for`); the checkbox is `<id>-none`.
    id: String,
    /// What the label says.
    label: &'static str,
    /// Shown after the input.
    #[prop(optional)]
    unit: &'static str,
    /// What "no value" means here ("Unbounded", "None").
    none_label: &'static str,
    /// The current value in the document.
    #[prop(into)]
    value: Signal<Option<f64>>,
    /// The value given when "no value" is unticked.
    default: f64,
    /// What to do with a parsed value.
    commit: Commit<Option<f64>>,
    /// Only whole numbers (counts).
    #[prop(optional)]
    integer: bool,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    let none_id = format!("{id}-none");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <div class="field-row">
                <NumberInput id=id.clone() integer error
                    text=Signal::derive(move || value.get().map(show).unwrap_or_default())
                    disabled=Signal::derive(move || value.with(Option::is_none))
                    placeholder=none_label.to_ascii_lowercase()
                    on_text=Callback::new(move |text: String| {
                        parse_number(&text, integer, None).and_then(|v| commit.run(Some(v)))
                    }) />
                <span class="field-unit">{unit}</span>
                <span class="field-none">
                    <input
                        id=none_id.clone()
                        type="checkbox"
                        prop:checked=move || value.with(Option::is_none)
                        on:change=move |ev| {
                            let none = event_target_checked(&ev);
                            settle(error, commit.run((!none).then_some(default)));
                        }
                    />
                    <label for=none_id>{none_label}</label>
                </span>
            </div>
            <FieldError id=err_id error />
        </div>
    }
}

/// A fraction from 0 to 1: a slider and the exact number.
#[component]
pub fn RatioField(
    /// The slider's id (and the label's `for`); the number is `<id>-number`.
    id: String,
    /// What the label says.
    label: &'static str,
    /// The current value in the document.
    #[prop(into)]
    value: Signal<f64>,
    /// What to do with a parsed value.
    commit: Commit<f64>,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    let label_id = format!("{id}-label");
    let number_id = format!("{id}-number");
    let on_change = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        settle(
            error,
            parse_number(&text, false, None).and_then(|v| commit.run(v)),
        );
    };
    view! {
        <div class="field">
            <label for=id.clone() id=label_id.clone()>{label}</label>
            <div class="field-row">
                <input
                    id=id.clone()
                    class="field-range"
                    type="range"
                    min="0"
                    max="1"
                    step="0.01"
                    prop:value=move || show(value.get())
                    on:change=on_change
                />
                <input
                    id=number_id
                    class="field-ratio"
                    type="number"
                    min="0"
                    max="1"
                    step="any"
                    aria-labelledby=label_id
                    prop:value=move || show(value.get())
                    aria-invalid=move || error.with(|e| e.is_some().to_string())
                    aria-describedby=described_by(&id, error)
                    on:change=on_change
                />
            </div>
            <FieldError id=err_id error />
        </div>
    }
}

/// A line of text read by `parse` (a fault's target, a partition's groups).
#[component]
pub fn TextField(
    /// The input's id (and the label's `for`).
    id: String,
    /// What the label says.
    label: &'static str,
    /// The current value, as text.
    #[prop(into)]
    value: Signal<String>,
    /// What to do with what was typed.
    commit: Commit<String>,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" prop:value=move || value.get()
                aria-invalid=move || error.with(|e| e.is_some().to_string())
                aria-describedby=described_by(&id, error)
                on:change=move |ev| settle(error, commit.run(event_target_value(&ev))) />
            <FieldError id=err_id error />
        </div>
    }
}

/// A yes/no setting.
#[component]
pub fn CheckboxField(
    /// The checkbox's id (and the label's `for`).
    id: String,
    /// What the label says.
    label: &'static str,
    /// The current value in the document.
    #[prop(into)]
    value: Signal<bool>,
    /// What to do with the new value.
    commit: Commit<bool>,
    /// A test id for the checkbox, where journeys look for it by one.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    view! {
        <div class="field field-check">
            <input
                id=id.clone()
                data-testid=testid
                type="checkbox"
                prop:checked=move || value.get()
                aria-describedby=described_by(&id, error)
                on:change=move |ev| {
                    let result = commit.run(event_target_checked(&ev));
                    if result.is_err() {
                        // Refused: the box goes back to what the document says (its signal
                        // did not change, so nothing else would put it back).
                        event_target::<web_sys::HtmlInputElement>(&ev)
                            .set_checked(value.get_untracked());
                    }
                    settle(error, result);
                }
            />
            <label for=id>{label}</label>
            <FieldError id=err_id error />
        </div>
    }
}

/// A choice among named options: `(value, text)` pairs.
#[component]
pub fn SelectField(
    /// The select's id (and the label's `for`).
    id: String,
    /// What the label says.
    label: &'static str,
    /// The options, as (value, what the option says).
    options: &'static [(&'static str, &'static str)],
    /// The selected option's value.
    #[prop(into)]
    value: Signal<&'static str>,
    /// What to do with the chosen value.
    commit: Commit<&'static str>,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                aria-describedby=described_by(&id, error)
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if let Some(&(v, _)) = options.iter().find(|(v, _)| *v == chosen) {
                        settle(error, commit.run(v));
                    }
                }
            >
                {options
                    .iter()
                    .map(|&(v, text)| {
                        view! {
                            <option value=v prop:selected=move || value.get() == v>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError id=err_id error />
        </div>
    }
}

/// The distributions a duration may follow.
const DURATION_KINDS: &[(&str, &str)] = &[
    ("constant", "Constant"),
    ("exponential", "Exponential"),
    ("log_normal", "Log-normal (long tail)"),
    ("uniform", "Uniform (between two times)"),
    ("gamma", "Gamma / Erlang (phases)"),
    ("weibull", "Weibull"),
    ("bounded_pareto", "Bounded Pareto (power-law tail)"),
    ("empirical", "Empirical (listed samples)"),
];

fn duration_kind(d: &Duration) -> &'static str {
    d.name()
}

/// The same mean in another distribution, with moderate settings: a log-normal of σ 0.5, a
/// uniform half a mean either side, Erlang-2, a Weibull of shape 1.5, a Pareto of α 1.5 over
/// two decades, three samples around it.
fn convert(d: &Duration, kind: &str) -> Duration {
    let mean = d.mean_ms().max(0.001);
    match kind {
        "constant" => Duration::Constant { ms: mean },
        // The mean of a log-normal is its median times e^(σ²/2): e^0.125 for σ = 0.5.
        "log_normal" => Duration::LogNormal {
            median_ms: mean / 1.133_148_453_066_826_3,
            sigma: 0.5,
        },
        "uniform" => Duration::Uniform {
            min_ms: mean / 2.0,
            max_ms: mean * 1.5,
        },
        "gamma" => Duration::Gamma {
            mean_ms: mean,
            shape: 2.0,
        },
        // Both scale with their times: the unit shape's mean says how far to stretch it.
        "weibull" => {
            let unit = Duration::Weibull {
                scale_ms: 1.0,
                shape: 1.5,
            };
            Duration::Weibull {
                scale_ms: mean / unit.mean_ms(),
                shape: 1.5,
            }
        }
        "bounded_pareto" => {
            let unit = Duration::BoundedPareto {
                min_ms: 1.0,
                max_ms: 100.0,
                alpha: 1.5,
            };
            let min_ms = mean / unit.mean_ms();
            Duration::BoundedPareto {
                min_ms,
                max_ms: min_ms * 100.0,
                alpha: 1.5,
            }
        }
        "empirical" => Duration::Empirical {
            samples_ms: vec![mean / 2.0, mean, mean * 1.5],
        },
        _ => Duration::Exponential { mean_ms: mean },
    }
}

/// Reads a list of times typed as numbers separated by commas or spaces.
pub fn parse_samples(text: &str) -> Result<Vec<f64>, String> {
    let samples: Vec<f64> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| parse_number(t, false, None).map_err(|_| format!("`{t}` is not a number")))
        .collect::<Result<_, _>>()?;
    let most = pattern_engine::distributions::MAX_EMPIRICAL_SAMPLES;
    match samples.len() {
        0 => Err("list at least one time".into()),
        n if n > most => Err(format!("at most {most} samples")),
        _ => Ok(samples),
    }
}

/// A list of numbers in one text box (an empirical distribution's samples).
#[component]
pub fn SamplesField(
    /// The input's id (and the label's `for`).
    id: String,
    /// What the label says.
    label: &'static str,
    /// The current samples.
    #[prop(into)]
    value: Signal<Vec<f64>>,
    /// What to do with the parsed samples.
    commit: Commit<Vec<f64>>,
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    let text = move || value.with(|v| v.iter().map(|x| show(*x)).collect::<Vec<_>>().join(", "));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id.clone() type="text" inputmode="decimal"
                prop:value=text
                aria-invalid=move || error.with(|e| e.is_some().to_string())
                aria-describedby=described_by(&id, error)
                on:change=move |ev| {
                    let parsed = parse_samples(&event_target_value(&ev));
                    settle(error, parsed.and_then(|v| commit.run(v)));
                } />
            <FieldError id=err_id error />
        </div>
    }
}

/// A duration: its distribution and that distribution's parameters.
#[component]
pub fn DurationField(
    /// The prefix of the ids of its controls.
    id: String,
    /// What the group is called.
    label: &'static str,
    /// The current value in the document.
    #[prop(into)]
    value: Signal<Duration>,
    /// What to do with a new duration.
    commit: Commit<Duration>,
) -> impl IntoView {
    let kind = Memo::new(move |_| value.with(duration_kind));
    let choose = Callback::new(move |k: &'static str| {
        let current = value.get_untracked();
        if duration_kind(&current) == k {
            return Ok(());
        }
        commit.run(convert(&current, k))
    });
    // One parameter of the current distribution, changed.
    let param = move |set: fn(&mut Duration, f64)| {
        Callback::new(move |v: f64| {
            let mut d = value.get_untracked();
            set(&mut d, v);
            commit.run(d)
        })
    };
    let read = move |get: fn(&Duration) -> f64| Signal::derive(move || value.with(get));
    let prefix = id.clone();
    let params = move || {
        let id = |p: &str| format!("{prefix}-{p}");
        match kind.get() {
            "constant" => view! {
                <NumberField id=id("ms") label="Time" unit="ms"
                    value=read(|d| if let Duration::Constant { ms } = d { *ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::Constant { ms } = d { *ms = v }) />
            }
            .into_any(),
            "log_normal" => view! {
                <NumberField id=id("median_ms") label="Median" unit="ms"
                    value=read(|d| if let Duration::LogNormal { median_ms, .. } = d { *median_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::LogNormal { median_ms, .. } = d { *median_ms = v }) />
                <NumberField id=id("sigma") label="Sigma (tail weight)"
                    value=read(|d| if let Duration::LogNormal { sigma, .. } = d { *sigma } else { 0.0 })
                    commit=param(|d, v| if let Duration::LogNormal { sigma, .. } = d { *sigma = v }) />
            }
            .into_any(),
            "uniform" => view! {
                <NumberField id=id("min_ms") label="Shortest" unit="ms"
                    value=read(|d| if let Duration::Uniform { min_ms, .. } = d { *min_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::Uniform { min_ms, .. } = d { *min_ms = v }) />
                <NumberField id=id("max_ms") label="Longest" unit="ms"
                    value=read(|d| if let Duration::Uniform { max_ms, .. } = d { *max_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::Uniform { max_ms, .. } = d { *max_ms = v }) />
            }
            .into_any(),
            "gamma" => view! {
                <NumberField id=id("mean_ms") label="Mean" unit="ms"
                    value=read(|d| if let Duration::Gamma { mean_ms, .. } = d { *mean_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::Gamma { mean_ms, .. } = d { *mean_ms = v }) />
                <NumberField id=id("shape") label="Shape (phases; 1 is exponential)"
                    value=read(|d| if let Duration::Gamma { shape, .. } = d { *shape } else { 0.0 })
                    commit=param(|d, v| if let Duration::Gamma { shape, .. } = d { *shape = v }) />
            }
            .into_any(),
            "weibull" => view! {
                <NumberField id=id("scale_ms") label="Scale" unit="ms"
                    value=read(|d| if let Duration::Weibull { scale_ms, .. } = d { *scale_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::Weibull { scale_ms, .. } = d { *scale_ms = v }) />
                <NumberField id=id("shape") label="Shape (below 1: heavy tail)"
                    value=read(|d| if let Duration::Weibull { shape, .. } = d { *shape } else { 0.0 })
                    commit=param(|d, v| if let Duration::Weibull { shape, .. } = d { *shape = v }) />
            }
            .into_any(),
            "bounded_pareto" => view! {
                <NumberField id=id("min_ms") label="Shortest" unit="ms"
                    value=read(|d| if let Duration::BoundedPareto { min_ms, .. } = d { *min_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::BoundedPareto { min_ms, .. } = d { *min_ms = v }) />
                <NumberField id=id("max_ms") label="Longest" unit="ms"
                    value=read(|d| if let Duration::BoundedPareto { max_ms, .. } = d { *max_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::BoundedPareto { max_ms, .. } = d { *max_ms = v }) />
                <NumberField id=id("alpha") label="Tail index (smaller: heavier)"
                    value=read(|d| if let Duration::BoundedPareto { alpha, .. } = d { *alpha } else { 0.0 })
                    commit=param(|d, v| if let Duration::BoundedPareto { alpha, .. } = d { *alpha = v }) />
            }
            .into_any(),
            "empirical" => view! {
                <SamplesField id=id("samples_ms") label="Samples (ms, separated by commas)"
                    value=Signal::derive(move || value.with(|d| match d {
                        Duration::Empirical { samples_ms } => samples_ms.clone(),
                        _ => Vec::new(),
                    }))
                    commit=Callback::new(move |samples: Vec<f64>| {
                        commit.run(Duration::Empirical { samples_ms: samples })
                    }) />
            }
            .into_any(),
            _ => view! {
                <NumberField id=id("mean_ms") label="Mean" unit="ms"
                    value=read(|d| if let Duration::Exponential { mean_ms } = d { *mean_ms } else { 0.0 })
                    commit=param(|d, v| if let Duration::Exponential { mean_ms } = d { *mean_ms = v }) />
            }
            .into_any(),
        }
    };
    view! {
        <fieldset class="field-group">
            <legend>{label}</legend>
            <SelectField id=format!("{id}-kind") label="Distribution" options=DURATION_KINDS
                value=Signal::derive(move || kind.get()) commit=choose />
            {params}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn samples_are_listed_with_commas_or_spaces_and_refused_by_name() {
        assert_eq!(parse_samples("1, 2.5  4"), Ok(vec![1.0, 2.5, 4.0]));
        assert_eq!(
            parse_samples("1, x"),
            Err("`x` is not a number".to_string())
        );
        assert!(parse_samples(" , ").is_err());
    }

    #[wasm_bindgen_test]
    fn converting_keeps_the_mean() {
        let from = Duration::exponential(10.0);
        for &(kind, _) in DURATION_KINDS {
            let to = convert(&from, kind);
            assert_eq!(duration_kind(&to), kind);
            assert!(to.problem().is_none(), "{kind}: {:?}", to.problem());
            let mean = to.mean_ms();
            assert!((mean - 10.0).abs() < 0.5, "{kind}: mean {mean}");
        }
    }

    #[wasm_bindgen_test]
    fn numbers_are_parsed_strictly() {
        assert_eq!(parse_number(" 2.5 ", false, None), Ok(2.5));
        assert_eq!(parse_number("-3", false, None), Ok(-3.0));
        assert!(parse_number("abc", false, None).is_err());
        assert!(parse_number("", false, None).is_err());
        assert!(parse_number("inf", false, None).is_err());
        assert!(parse_number("1.5", true, None).is_err());
        assert!(parse_number("-1", true, None).is_err());
        assert!(parse_number("5000000000", true, Some(u32::MAX as f64)).is_err());
    }
}
