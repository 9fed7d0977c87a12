/**
 * Routing accuracy: per collaborator and overall, with a confusion matrix (expected -> routed), as `revops eval`
 * prints it. Pure: takes (expected, actual) pairs from any engine.
 */
export interface RoutedCase {
  text: string;
  expected: string;
  actual: string;
}

export interface RoutingScore {
  total: number;
  correct: number;
  accuracy: number;
  perAgent: Record<string, { total: number; correct: number; accuracy: number }>;
  /** expected -> actual -> count. */
  confusion: Record<string, Record<string, number>>;
  misses: RoutedCase[];
}

export function scoreRouting(cases: RoutedCase[]): RoutingScore {
  const perAgent: RoutingScore['perAgent'] = {};
  const confusion: RoutingScore['confusion'] = {};
  for (const c of cases) {
    const agent = (perAgent[c.expected] ??= { total: 0, correct: 0, accuracy: 0 });
    agent.total++;
    if (c.actual === c.expected) agent.correct++;
    const row = (confusion[c.expected] ??= {});
    row[c.actual] = (row[c.actual] ?? 0) + 1;
  }
  for (const a of Object.values(perAgent)) a.accuracy = a.correct / a.total;
  const correct = cases.filter((c) => c.actual === c.expected).length;
  return { total: cases.length, correct, accuracy: cases.length ? correct / cases.length : 0, perAgent, confusion, misses: cases.filter((c) => c.actual !== c.expected) };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function renderScore(title: string, score: RoutingScore): string {
  const agents = Object.keys(score.perAgent).sort();
  const actuals = [...new Set([...agents, ...Object.values(score.confusion).flatMap((r) => Object.keys(r))])].sort();
  const width = Math.max(8, ...actuals.map((a) => a.length)) + 2;
  const lines = [`${title}: ${score.correct}/${score.total} = ${pct(score.accuracy)}`, ''];
  for (const a of agents) {
    const s = score.perAgent[a]!;
    lines.push(`  ${a.padEnd(width)} ${String(s.correct).padStart(3)}/${String(s.total).padEnd(3)} ${pct(s.accuracy)}`);
  }
  lines.push('', `  confusion (rows: expected, columns: routed)`);
  lines.push(`  ${''.padEnd(width)}${actuals.map((a) => a.slice(0, width - 2).padStart(width)).join('')}`);
  for (const a of agents) {
    lines.push(`  ${a.padEnd(width)}${actuals.map((b) => String(score.confusion[a]?.[b] ?? 0).padStart(width)).join('')}`);
  }
  if (score.misses.length) {
    lines.push('', '  misrouted:');
    for (const m of score.misses) lines.push(`    "${m.text}": expected ${m.expected}, routed to ${m.actual}`);
  }
  return lines.join('\n');
}
