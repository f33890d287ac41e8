//! Editing an ordered list of settings (a gateway's rules, a client's routes, a service's call
//! order): rows that can be added, removed and moved up or down, each with its own labelled
//! controls. Every change goes through the list's commit, so a refused one leaves the document
//! as it was and its reason shows under the list.

use leptos::prelude::*;

use super::fields::FieldError;
use super::Commit;

/// What a list's buttons ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowEdit {
    /// Append a new row.
    Add,
    /// Remove the row at this index.
    Remove(usize),
    /// Swap the row at this index with the one above.
    Up(usize),
    /// Swap the row at this index with the one below.
    Down(usize),
}

/// Applies `edit` to `rows`; `new` makes the added row. An edit past either end does nothing.
pub fn edit_rows<T>(rows: &mut Vec<T>, edit: RowEdit, new: impl FnOnce() -> T) {
    match edit {
        RowEdit::Add => rows.push(new()),
        RowEdit::Remove(i) if i < rows.len() => {
            rows.remove(i);
        }
        RowEdit::Up(i) if i > 0 && i < rows.len() => rows.swap(i - 1, i),
        RowEdit::Down(i) if i + 1 < rows.len() => rows.swap(i, i + 1),
        _ => {}
    }
}

/// A list with its rows, their move and remove buttons, and an Add button.
#[component]
pub fn ListEditor<F, V>(
    /// The prefix of the ids and test ids of its controls.
    id: String,
    /// What the list is called.
    legend: &'static str,
    /// What one row is, for the buttons' names ("rule", "route", "call").
    noun: &'static str,
    /// Shown while the list is empty.
    empty: Signal<String>,
    /// How many rows there are.
    len: Signal<usize>,
    /// Draws row `i`'s own controls; they report refusals to the given signal.
    row: F,
    /// Adds, removes or moves a row.
    edit: Commit<RowEdit>,
) -> impl IntoView
where
    F: Fn(usize, RwSignal<Option<String>>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let error = RwSignal::new(None::<String>);
    let run = move |e: RowEdit| error.set(edit.run(e).err());
    let prefix = id.clone();
    let rows = move || {
        let n = len.get();
        (0..n)
            .map(|i| {
                let tools = format!("{noun} {}", i + 1);
                let button_id = |what: &str| format!("{prefix}-{i}-{what}");
                view! {
                    <li class="list-row">
                        <div class="list-row-fields">{row(i, error)}</div>
                        <div class="list-row-tools" role="group" aria-label=tools.clone()>
                            <button type="button" data-testid=button_id("up") disabled=i == 0
                                aria-label=format!("Move {tools} up") title="Move up"
                                on:click=move |_| run(RowEdit::Up(i))>"↑"</button>
                            <button type="button" data-testid=button_id("down") disabled=i + 1 == n
                                aria-label=format!("Move {tools} down") title="Move down"
                                on:click=move |_| run(RowEdit::Down(i))>"↓"</button>
                            <button type="button" data-testid=button_id("remove")
                                aria-label=format!("Remove {tools}") title="Remove"
                                on:click=move |_| run(RowEdit::Remove(i))>"Remove"</button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field-group list-editor" data-testid=id.clone()>
            <legend>{legend}</legend>
            <p class="muted" hidden={move || len.get() > 0}>{move || empty.get()}</p>
            <ol class="list-rows">{rows}</ol>
            <button type="button" class="list-add" data-testid=format!("{id}-add")
                on:click=move |_| run(RowEdit::Add)>{format!("Add {noun}")}</button>
            <FieldError id=format!("{id}-error") error />
        </fieldset>
    }
}

/// A text or number input in a row, committed on `change`.
#[component]
pub fn RowInput(
    /// The input's id (and the label's `for`).
    id: String,
    /// What the label says ("Route 2 name").
    label: String,
    /// `text` or `number`.
    kind: &'static str,
    /// What it shows.
    value: Signal<String>,
    /// Takes what was typed; an `Err` is shown under the list.
    commit: Commit<String>,
    /// Where the list shows refusals.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="list-label" for=id.clone()>{label}</label>
        <input id=id type=kind step="any" prop:value=move || value.get()
            on:change=move |ev| error.set(commit.run(event_target_value(&ev)).err()) />
    }
}

/// A choice in a row among `(value, text)` options.
#[component]
pub fn RowSelect(
    /// The select's id (and the label's `for`).
    id: String,
    /// What the label says ("Rule 1 goes to").
    label: String,
    /// The options, as (value, text).
    options: Signal<Vec<(String, String)>>,
    /// The chosen option's value.
    value: Signal<String>,
    /// Takes the chosen value; an `Err` is shown under the list.
    commit: Commit<String>,
    /// Where the list shows refusals.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let choices = move || {
        options
            .get()
            .into_iter()
            .map(|(v, text)| {
                let chosen = v.clone();
                view! { <option value=v prop:selected=move || value.with(|c| *c == chosen)>{text}</option> }
            })
            .collect_view()
    };
    view! {
        <label class="list-label" for=id.clone()>{label}</label>
        <select id=id on:change=move |ev| error.set(commit.run(event_target_value(&ev)).err())>
            {choices}
        </select>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn rows_are_added_removed_and_moved_and_edits_past_the_ends_do_nothing() {
        let mut rows = vec!['a', 'b', 'c'];
        edit_rows(&mut rows, RowEdit::Up(2), || 'x');
        assert_eq!(rows, ['a', 'c', 'b']);
        edit_rows(&mut rows, RowEdit::Down(0), || 'x');
        assert_eq!(rows, ['c', 'a', 'b']);
        edit_rows(&mut rows, RowEdit::Remove(1), || 'x');
        edit_rows(&mut rows, RowEdit::Add, || 'x');
        assert_eq!(rows, ['c', 'b', 'x']);
        for edit in [RowEdit::Up(0), RowEdit::Down(2), RowEdit::Remove(3)] {
            edit_rows(&mut rows, edit, || 'y');
        }
        assert_eq!(rows, ['c', 'b', 'x']);
    }
}
