//! Calling dependencies one after another, as a thread-per-request server does: the next call
//! starts when the previous one answers. Shared by services and workers.

use super::Effects;

/// Makes the frame's next call among `calls` (link indices, in order), skipping calls whose
/// edge probability says this request does not make them. Returns false when no call is left.
#[inline]
pub fn call_next<E: Effects>(ctx: &mut E, frame: u32, calls: &[u16]) -> bool {
    loop {
        let step = ctx.frame(frame).step as usize;
        let Some(&link) = calls.get(step) else {
            return false;
        };
        ctx.frame_mut(frame).step += 1;
        let probability = ctx.links()[link as usize].probability;
        if ctx.rng().chance(probability) {
            ctx.forward(frame, link as usize);
            return true;
        }
    }
}
