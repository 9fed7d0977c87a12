/**
 * A request's step budget: the number of model calls it may make across the supervisor and every collaborator
 * (a loop between a model and its tools has no natural end), and a log of what was done, so a request stopped by
 * a budget can say how far it got.
 */

export type BudgetKind = 'steps' | 'time';

export class BudgetExceeded extends Error {
  override readonly name = 'BudgetExceeded';
  constructor(readonly kind: BudgetKind, message: string) {
    super(message);
  }
}

export class StepBudget {
  private used = 0;
  readonly done: string[] = [];
  constructor(readonly maxSteps: number) {}

  /** Call before each model call; throws BudgetExceeded once the budget is spent. */
  take(): void {
    if (this.used >= this.maxSteps) {
      throw new BudgetExceeded('steps', `the step budget of ${this.maxSteps} model calls (REVOPS_CONVERSE_MAX_STEPS) was spent`);
    }
    this.used += 1;
  }

  get steps(): number {
    return this.used;
  }

  note(what: string): void {
    this.done.push(what);
  }

  /** "delegated to data; ran pipeline_by_stage (6 rows)" or "nothing yet". */
  summary(): string {
    return this.done.length ? this.done.join('; ') : 'nothing had been done yet';
  }
}
