// What a user class runs once the master has had its say: the web UI's class edits
// (`update_user_class`) and the master's `--tags` / `--exclude-tags`. Pure functions over the
// class table, applied to users spawned afterwards, as Locust applies them to its classes.

/** One class's edits from the web UI, merged over time (Locust setattr's each key on the class). */
export interface ClassEdit {
  readonly host?: string | null;
  readonly weight?: number;
  readonly fixedCount?: number;
  /** Names of the tasks to keep, out of the class's own tasks. */
  readonly tasks?: readonly string[];
}

export type ClassEdits = ReadonlyMap<string, ClassEdit>;

export interface ClassUpdate extends ClassEdit {
  readonly userClassName: string;
}

/** Merges one `update_user_class` into the table; keys the message lacks stay as they were. */
export function applyClassUpdate(edits: ClassEdits, update: ClassUpdate): ClassEdits {
  const { userClassName, ...fields } = update;
  const merged: Record<string, unknown> = { ...edits.get(userClassName) };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) merged[key] = value;
  const next = new Map(edits);
  next.set(userClassName, merged as ClassEdit);
  return next;
}

/** `--tags` / `--exclude-tags` as sets; null when not given (Locust treats an empty list as not given). */
export interface TagFilter {
  readonly tags: ReadonlySet<string> | null;
  readonly excludeTags: ReadonlySet<string> | null;
}

export const NO_TAG_FILTER: TagFilter = { tags: null, excludeTags: null };

/** Reads the master's parsed_options the way Locust's Environment._filter_tasks_by_tags does. */
export function tagFilterFrom(parsedOptions: Readonly<Record<string, unknown>>): TagFilter {
  const set = (value: unknown): ReadonlySet<string> | null => {
    if (!Array.isArray(value) || value.length === 0) return null;
    return new Set(value.filter((v): v is string => typeof v === "string"));
  };
  return { tags: set(parsedOptions.tags), excludeTags: set(parsedOptions.exclude_tags) };
}

interface Tagged {
  readonly name: string;
  readonly tags?: readonly string[];
}

/**
 * Locust's filter_tasks_by_tags: with tags, a task needs at least one of them; with exclude
 * tags, a task must have none of them (an untagged task always passes the exclusion).
 */
export function passesTags(task: Tagged, filter: TagFilter): boolean {
  const own = task.tags ?? [];
  if (filter.tags && !own.some((t) => filter.tags?.has(t))) return false;
  if (filter.excludeTags && own.some((t) => filter.excludeTags?.has(t))) return false;
  return true;
}

/** The tasks new users of a class run: its own, narrowed by the web UI's task list and by tags. */
export function tasksFor<T extends Tagged>(tasks: readonly T[], edit: ClassEdit | undefined, filter: TagFilter): T[] {
  const picked = edit?.tasks ? new Set(edit.tasks) : null;
  return tasks.filter((t) => (picked === null || picked.has(t.name)) && passesTags(t, filter));
}

/**
 * The engine's view of the master's say over classes: web UI edits and the test's tag filter,
 * with each class's resulting task list cached until either changes. Warns once when a class is
 * left without tasks, as Locust does ("had no tasks left after filtering").
 */
export class ClassControls<T extends Tagged> {
  private edits: ClassEdits = new Map();
  private filter: TagFilter = NO_TAG_FILTER;
  private readonly cache = new Map<string, T[]>();
  private readonly warned = new Set<string>();

  constructor(private readonly warn: (message: string) => void) {}

  update(update: ClassUpdate): void {
    this.edits = applyClassUpdate(this.edits, update);
    this.cache.clear();
  }

  /** A new test's `--tags` / `--exclude-tags`, from the spawn's parsed_options. */
  setTagFilter(filter: TagFilter): void {
    const same = (a: ReadonlySet<string> | null, b: ReadonlySet<string> | null) =>
      a === null ? b === null : b !== null && a.size === b.size && [...a].every((t) => b.has(t));
    if (same(filter.tags, this.filter.tags) && same(filter.excludeTags, this.filter.excludeTags)) return;
    this.filter = filter;
    this.cache.clear();
    this.warned.clear();
  }

  tasksFor(className: string, own: readonly T[]): readonly T[] {
    let tasks = this.cache.get(className);
    if (!tasks) {
      tasks = tasksFor(own, this.edits.get(className), this.filter);
      this.cache.set(className, tasks);
      if (tasks.length === 0 && !this.warned.has(className)) {
        this.warned.add(className);
        this.warn(
          `user class "${className}" has no tasks left after the master's --tags/--exclude-tags and web UI edits; its users wait until stopped`,
        );
      }
    }
    return tasks;
  }

  /** The web UI's host for a class, if it edited one (targetHost decides whether it shows). */
  editedHost(className: string): string | null | undefined {
    return this.edits.get(className)?.host;
  }
}
