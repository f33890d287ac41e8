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
) -> impl IntoView {
    let error = RwSignal::new(None);
    let err_id = format!("{id}-error");
    view! {
        <div class="field field-check">
            <input
                id=id.clone()
                type="checkbox"
                prop:checked=move || value.get()
                aria-describedby=described_by(&id, error)
                on:change=move |ev| settle(error, commit.run(event_target_checked(&ev)))
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
];

fn duration_kind(d: &Duration) -> &'static str {
    match d {
        Duration::Constant { .. } => "constant",
        Duration::Exponential { .. } => "exponential",
        Duration::LogNormal { .. } => "log_normal",
    }
}

/// The same mean in another distribution (a log-normal gets a moderate tail).
fn convert(d: &Duration, kind: &str) -> Duration {
    let mean = d.mean_ms();
    match kind {
        "constant" => Duration::Constant { ms: mean },
        "log_normal" => Duration::LogNormal {
            median_ms: mean,
            sigma: 0.5,
        },
        _ => Duration::Exponential { mean_ms: mean },
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
