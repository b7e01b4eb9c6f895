// How `run --arrival-rate` shares its users and its rate among the classes and the processes
// (docs/open-model.md): pure, table-tested. As Locust's UsersDispatcher does for -u, a class with
// a fixedCount gets exactly that many users, taken first out of --max-users; they run as under
// -u (their wait time, or users × arrivalRate). The classes without one share the rate by weight,
// and --max-users left after the fixed users, each at least one user so that its share of the
// rate has someone to run it, the rest by weight. The users are dealt to the processes in turn
// (fixed first, then one of each rate class, then by weight): a process runs the iterations of
// the users it holds (IterationShare), so a class with fewer users than processes is run by the
// processes that hold one, and the processes together run the whole schedule.
import { LoadworkerError } from "../../errors.ts";
import type { IterationShare } from "../../users/open/executor.ts";
import type { ArrivalOptions } from "../options/arrival.ts";
import { type ProcessShare, type WeightedClass, ONE_PROCESS, isFixed, smoothRoundRobin } from "./spawn-plan.ts";

export interface RateClass {
  readonly name: string;
  /** Its part of the rate: its weight over the rate classes' total. */
  readonly fraction: number;
  /** Its users in this process: at most this many start, as iterations need them. */
  readonly maxUsers: number;
  /** The iterations of its schedule this process runs; undefined when this process holds none of its users. */
  readonly share: IterationShare | undefined;
}

export interface OpenPlan {
  /** This process's users of each fixedCount class, started with the run. */
  readonly fixed: Readonly<Record<string, number>>;
  /** The classes that share the rate. */
  readonly rate: readonly RateClass[];
}

/** The classes that share the rate: no fixedCount, a weight above 0. */
export function rateClasses(classes: readonly WeightedClass[]): WeightedClass[] {
  return classes.filter((c) => !isFixed(c) && c.weight > 0);
}

/** `maxUsers` users dealt over the classes, and this process's part of them and of the rate. */
export function openPlan(classes: readonly WeightedClass[], maxUsers: number, share: ProcessShare = ONE_PROCESS): OpenPlan {
  const fixedClasses = classes.filter(isFixed).map((c) => ({ name: c.name, weight: c.fixedCount ?? 0 }));
  const open = rateClasses(classes);
  const order: string[] = [];
  const fixedRounds = smoothRoundRobin(fixedClasses);
  const fixedSum = fixedClasses.reduce((s, c) => s + c.weight, 0);
  for (let i = 0; i < fixedSum; i++) order.push(fixedRounds.next().value as string);
  for (const c of open) order.push(c.name);
  const weighted = smoothRoundRobin(open);
  while (order.length < maxUsers && open.length > 0) order.push(weighted.next().value as string);
  order.length = Math.min(order.length, maxUsers);

  const fixed: Record<string, number> = Object.fromEntries(fixedClasses.map((c) => [c.name, 0]));
  const dealt = new Map<string, number>(); // users of each class dealt so far, all processes
  const slots = new Map<string, number[]>(); // this process's users of each rate class, by their number
  order.forEach((name, position) => {
    const j = dealt.get(name) ?? 0;
    dealt.set(name, j + 1);
    if (position % share.count !== share.index) return;
    if (name in fixed) fixed[name] = (fixed[name] ?? 0) + 1;
    else {
      const own = slots.get(name);
      if (own) own.push(j);
      else slots.set(name, [j]);
    }
  });
  const sum = open.reduce((s, c) => s + c.weight, 0);
  const rate = open.map((c): RateClass => {
    const own = slots.get(c.name) ?? [];
    return {
      name: c.name,
      fraction: c.weight / sum,
      maxUsers: own.length,
      share: own.length === 0 ? undefined : { slots: own, cycle: dealt.get(c.name) ?? 1 },
    };
  });
  return { fixed, rate };
}

const usage = (message: string) => new LoadworkerError("E_USAGE", message);

/**
 * The open model's options fitted to the classes, before any load: --max-users defaults to the
 * fixed users and the peak rate's worth (at least one per rate class). A usage error when no class
 * shares the rate (every one has a fixedCount) or the users given leave a rate class without one.
 */
export function fitArrival(arrival: ArrivalOptions, classes: readonly WeightedClass[]): ArrivalOptions {
  const flag = arrival.stages.length > 0 ? "--stages" : "--arrival-rate";
  const fixed = classes.filter(isFixed);
  const open = rateClasses(classes);
  const fixedText = fixed.map((c) => `${c.name}: ${c.fixedCount}`).join(", ");
  if (open.length === 0) {
    throw usage(
      `${flag}: every user class has a fixedCount (${fixedText}), so none takes a share of the rate; ` +
        "remove fixedCount from a class to run it on the schedule, or run the closed model with -u",
    );
  }
  const fixedSum = fixed.reduce((s, c) => s + (c.fixedCount ?? 0), 0);
  const need = fixedSum + open.length;
  if (arrival.maxUsersFlag === undefined) {
    const peak = Math.max(arrival.rate, ...arrival.stages.map((s) => s.rate));
    return { ...arrival, maxUsers: fixedSum + Math.max(open.length, Math.ceil(peak)) };
  }
  if (arrival.maxUsers < need) {
    const taken = fixedSum > 0 ? `the fixedCount classes take ${fixedSum} (${fixedText}) and ` : "";
    throw usage(
      `${arrival.maxUsersFlag} ${arrival.maxUsers} is too few for ${flag}: ${taken}each class that shares the rate ` +
        `(${open.map((c) => c.name).join(", ")}) needs a user; give ${arrival.maxUsersFlag} ${need} or more`,
    );
  }
  return arrival;
}
