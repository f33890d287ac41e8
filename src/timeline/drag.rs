//! Dragging a fault's bar: the body moves it (`at_s`), the start grip moves its start and
//! keeps its end, the end grip stretches it (`for_s`; an open-ended fault gets an end where it
//! is dropped). Pure: the view feeds pointer positions in and previews what comes out; the
//! release commits it as one undo step through the validator.

use super::axis::{seconds_per, snap, FINE_STEP_S, STEP_S};
use pattern_engine::scenario::{Fault, Scenario};

/// How far (pixels) a press must travel to be a drag rather than a click that selects.
const CLICK_SLOP_PX: f64 = 3.0;

/// Which part of a bar was pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The middle: the whole fault moves.
    Body,
    /// The left grip: the start moves, the end stays.
    Start,
    /// The right grip: the end moves.
    End,
}

impl Part {
    /// The part a grip's `data-part` names; the body otherwise.
    pub fn named(name: Option<String>) -> Part {
        match name.as_deref() {
            Some("start") => Part::Start,
            Some("end") => Part::End,
            _ => Part::Body,
        }
    }
}

/// A bar being dragged.
#[derive(Clone, Debug)]
pub struct BarDrag {
    /// The fault's index in the document.
    pub index: usize,
    /// What was pressed.
    pub part: Part,
    /// The pointer's x when pressed, client pixels.
    pub from_x: f64,
    /// The track's width, pixels, and the seconds it shows.
    pub width: f64,
    /// The axis's span, seconds.
    pub span: f64,
    /// The fault when pressed.
    pub fault: Fault,
    /// The document when pressed, to restore on Escape and to commit from.
    pub before: Scenario,
    /// True once the pointer has really moved.
    pub moved: bool,
}

impl BarDrag {
    /// Notes the pointer at `x`; true once the press has become a drag.
    pub fn follow(&mut self, x: f64) -> bool {
        self.moved |= (x - self.from_x).abs() > CLICK_SLOP_PX;
        self.moved
    }

    /// The fault with the pointer at `x` (finer grid when `fine`).
    pub fn dragged(&self, x: f64, fine: bool) -> Fault {
        let dt = seconds_per(x - self.from_x, self.width, self.span);
        let least = if fine { FINE_STEP_S } else { STEP_S };
        let ms = |t: f64| (t * 1_000.0).round() / 1_000.0;
        let mut f = self.fault.clone();
        match (self.part, self.fault.until_s()) {
            (Part::Body, _) | (Part::Start, None) => f.at_s = snap(f.at_s + dt, fine),
            (Part::Start, Some(end)) => {
                f.at_s = snap(f.at_s + dt, fine).min(ms(end - least)).max(0.0);
                f.for_s = Some(ms(end - f.at_s));
            }
            (Part::End, end) => {
                let end = end.unwrap_or(self.span);
                let new_end = snap(end + dt, fine).max(ms(f.at_s + least));
                f.for_s = Some(ms(new_end - f.at_s));
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pattern_engine::scenario::{FaultKind, FaultTarget};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn drag(part: Part, for_s: Option<f64>) -> BarDrag {
        BarDrag {
            index: 0,
            part,
            from_x: 100.0,
            width: 500.0,
            span: 10.0,
            fault: Fault {
                at_s: 2.0,
                for_s,
                target: FaultTarget::Node("db_a".into()),
                kind: FaultKind::Crash,
            },
            before: crate::document::default_scenario(),
            moved: false,
        }
    }

    #[wasm_bindgen_test]
    fn the_body_moves_the_fault_and_the_grips_stretch_it_on_the_grid() {
        // 500 px show 10 s: 50 px a second.
        let body = drag(Part::Body, Some(3.0)).dragged(100.0 + 62.0, false);
        assert_eq!((body.at_s, body.for_s), (3.2, Some(3.0)));
        let fine = drag(Part::Body, Some(3.0)).dragged(100.0 + 62.0, true);
        assert_eq!(fine.at_s, 3.24);
        let start = drag(Part::Start, Some(3.0)).dragged(100.0 + 50.0, false);
        assert_eq!(
            (start.at_s, start.for_s),
            (3.0, Some(2.0)),
            "the end stays at 5 s"
        );
        let past_end = drag(Part::Start, Some(3.0)).dragged(100.0 + 400.0, false);
        assert_eq!((past_end.at_s, past_end.for_s), (4.9, Some(0.1)));
        let end = drag(Part::End, Some(3.0)).dragged(100.0 - 75.0, false);
        assert_eq!(end.for_s, Some(1.5));
        let back = drag(Part::End, Some(3.0)).dragged(-1_000.0, false);
        assert_eq!(back.for_s, Some(0.1), "never shorter than the grid");
        // An open-ended bar reaches the end of the axis; its grip gives it an end there.
        let open = drag(Part::End, None).dragged(0.0, false);
        assert_eq!(open.for_s, Some(6.0));
        let early = drag(Part::Body, None).dragged(0.0, false);
        assert_eq!(early.at_s, 0.0, "never before the start");
    }

    #[wasm_bindgen_test]
    fn a_press_becomes_a_drag_past_a_few_pixels() {
        let mut d = drag(Part::Body, None);
        assert!(!d.follow(102.0));
        assert!(d.follow(104.0));
        assert!(d.follow(100.0), "once a drag, always a drag");
        assert_eq!(Part::named(Some("end".into())), Part::End);
        assert_eq!(Part::named(None), Part::Body);
    }
}
