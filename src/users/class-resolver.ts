// Which definition runs a class the master names: the worker's own of that name, else one of the
// fallback classes picked by weight, with one warning per unknown name (Locust would refuse the
// class; a worker keeps the master's user count instead).
import type { AnyUserDefinition } from "../api/definitions.ts";
import type { Plan } from "../api/plan.ts";
import type { Logger } from "../log.ts";
import { weightedPicker } from "./pick.ts";

export function classResolver(plan: Plan, log: Logger, random?: () => number): (className: string) => AnyUserDefinition {
  const pickFallback = weightedPicker(plan.fallback, (u) => u.weight, random);
  const warned = new Set<string>();
  return (className) => {
    const own = plan.users.find((u) => u.name === className);
    if (own) return own;
    if (!warned.has(className)) {
      warned.add(className);
      const names = plan.fallback.map((u) => u.name).join(", ");
      log.warn(`the master asked for user class "${className}", which this worker does not define; running ${names} for those users`);
    }
    return pickFallback();
  };
}
