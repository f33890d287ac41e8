/** A generated diagram of `n` services on a grid of `columns` with `m` edges, as the editor saves it. */
export function largeScenario(n = 200, m = 300, columns = 20): string {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    kind: 'service',
    label: `Service ${i}`,
    x: (i % columns) * 200,
    y: Math.floor(i / columns) * 120,
  }));
  const edges: { from: string; to: string; latency_ms: number }[] = [];
  for (let i = 0; i < n && edges.length < m; i++) {
    if ((i + 1) % columns !== 0 && i + 1 < n) edges.push({ from: `s${i}`, to: `s${i + 1}`, latency_ms: 1 });
    if (i + columns < n && edges.length < m) edges.push({ from: `s${i}`, to: `s${i + columns}`, latency_ms: 2 });
  }
  return JSON.stringify({ version: 1, name: `Large (${n} nodes)`, seed: 1, nodes, edges: edges.slice(0, m) });
}

/** Where the autosave lives (src/state/autosave.rs). */
export const AUTOSAVE_KEY = 'pattern-playground/autosave/v1';
