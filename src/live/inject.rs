//! Faults injected into a run under way, and healed: each is written into the document's
//! timeline at the next millisecond after the simulated now (`state::faults::ms_after`), one
//! undo step, and the running simulation takes it in place (`Session::follow`), so the run
//! keeps going and a fresh run of the saved document prints the same summary.

use super::{Live, Phase};
use crate::state::faults;
use leptos::prelude::*;
use pattern_engine::scenario::FaultTarget;
use pattern_engine::time::SimTime;

impl Live {
    /// True while a run can take a fault now (tracked, for views).
    pub fn is_going(&self) -> bool {
        matches!(
            self.phase.get(),
            Phase::Playing | Phase::Paused | Phase::FastForwarding
        )
    }

    /// The simulated time of a run that can still take a fault, if one is under way.
    pub fn live_now(&self) -> Option<SimTime> {
        let going = matches!(
            self.phase.get_untracked(),
            Phase::Playing | Phase::Paused | Phase::FastForwarding
        );
        going
            .then(|| {
                self.session
                    .with_value(|s| s.as_ref().map(|s| s.sim().now()))
            })
            .flatten()
    }

    /// Injects a fault of kind `name` on `target` now, lasting until healed, and returns its
    /// index; the status line gives the validator's reason if it may not strike there.
    pub fn inject(&self, name: &'static str, target: FaultTarget) -> Option<usize> {
        let now = self.live_now()?;
        let index = self.editor.apply(|doc| {
            let before = doc.clone();
            let index = faults::inject(doc, name, target, now);
            faults::new_problem(&before, doc).map_or(Ok(index), Err)
        });
        // At once, not on the next effect: the run must not pass the fault's start first.
        self.follow_document();
        index
    }

    /// Heals the faults at `indices`, in force now: each ends just after now.
    pub fn heal(&self, indices: &[usize]) {
        let Some(now) = self.live_now() else {
            return;
        };
        self.editor.apply(|doc| {
            for &i in indices {
                faults::heal(doc, i, now);
            }
            Ok(())
        });
        self.follow_document();
    }
}
